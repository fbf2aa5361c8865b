package dev.cloudref.gateway.limits;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerState;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Hardens the gateway's Reactor Netty server against slow and malformed clients: header
 * and body timeouts ({@link RequestHeaderTimeout}), and problem details for requests that
 * Netty ({@link DecodingFailureProblems}) or Spring cannot decode.
 */
@Component
class ConnectionLimitsCustomizer implements NettyServerCustomizer {

	private final LimitsProperties limits;

	ConnectionLimitsCustomizer(LimitsProperties limits) {
		this.limits = limits;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.requestTimeout(limits.requestBodyTimeout())
			.doOnChannelInit((observer, channel, address) -> channel.pipeline()
				.addFirst(RequestHeaderTimeout.NAME, new RequestHeaderTimeout(limits.requestHeaderTimeout()))
				.addLast(DecodingFailureProblems.NAME, new DecodingFailureProblems()))
			.childObserve(ConnectionLimitsCustomizer::trackExchanges)
			.mapHandle(ConnectionLimitsCustomizer::answerUnparsableUri);
	}

	private static void trackExchanges(Connection connection, ConnectionObserver.State state) {
		if (state == HttpServerState.REQUEST_RECEIVED || state == ConnectionObserver.State.DISCONNECTING) {
			RequestHeaderTimeout timeout = RequestHeaderTimeout.of(connection.channel());
			if (timeout != null && state == HttpServerState.REQUEST_RECEIVED) {
				timeout.requestReceived();
			}
			else if (timeout != null) {
				timeout.exchangeCompleted();
			}
		}
	}

	/**
	 * Spring's Reactor adapter answers a request whose URI it cannot build by setting 400
	 * and completing without writing anything; no filter or error handler sees it. That
	 * is the only way a handled exchange completes with nothing sent.
	 */
	private static Mono<Void> answerUnparsableUri(Mono<Void> handled, Connection connection) {
		if (!(connection instanceof HttpServerResponse response)
				|| !(connection instanceof HttpServerRequest request)) {
			return handled;
		}
		return handled.then(Mono.defer(() -> {
			if (response.hasSentHeaders() || !HttpResponseStatus.BAD_REQUEST.equals(response.status())
					|| HttpMethod.HEAD.equals(request.method())) {
				return Mono.empty();
			}
			return response.header(HttpHeaderNames.CONTENT_TYPE, NettyProblems.CONTENT_TYPE)
				.sendString(Mono
					.just(NettyProblems.json(HttpResponseStatus.BAD_REQUEST, "The request target is not a valid URI.")))
				.then();
		}));
	}

}
