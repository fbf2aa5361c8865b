package dev.cloudref.gateway.routing;

import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Copies the body of a request that may be retried to the heap before Spring Cloud
 * Gateway caches it for {@code Retry}: a cached Netty buffer released twice on a failed
 * route corrupts an HTTP/2 connection, and a heap copy has no reference count.
 */
class HeapCopiedRequestBody implements GlobalFilter, Ordered {

	/** Just before Spring Cloud Gateway's {@code AdaptCachedBodyGlobalFilter}. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 999;

	// Spring's byte[] decoder copies to the heap and releases each network buffer. No
	// size limit of its own: the gateway's request limits have bounded the body already.
	private static final ByteArrayDecoder BODY_DECODER = unlimited(new ByteArrayDecoder());

	private static final ResolvableType BYTES = ResolvableType.forClass(byte[].class);

	private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!WITH_BODY.contains(exchange.getRequest().getMethod())) {
			return chain.filter(exchange);
		}
		return BODY_DECODER.decodeToMono(exchange.getRequest().getBody(), BYTES, null, null)
			.defaultIfEmpty(new byte[0])
			.flatMap(body -> chain
				.filter(exchange.mutate().request(new ServerHttpRequestDecorator(exchange.getRequest()) {
					@Override
					public Flux<DataBuffer> getBody() {
						return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
					}
				}).build()));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	private static ByteArrayDecoder unlimited(ByteArrayDecoder decoder) {
		decoder.setMaxInMemorySize(-1);
		return decoder;
	}

}
