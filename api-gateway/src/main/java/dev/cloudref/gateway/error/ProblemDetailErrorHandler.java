package dev.cloudref.gateway.error;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every error the gateway raises itself as an RFC 9457 problem detail, and
 * never with a stack trace.
 *
 * <ul>
 * <li>Spring's {@link ErrorResponse}s (unknown route 404, 405, 413, 415, no instance
 * available 503, ...) keep their status and detail.</li>
 * <li>An instance that refuses the connection or resets it becomes {@code 502 Bad
 * Gateway} (Spring Cloud Gateway would answer 500).</li>
 * <li>A request that finds the connection pool to its instance full, and either too
 * many requests already waiting for it or no connection freed within the pool's acquire
 * timeout, becomes {@code 503 Service Unavailable} with {@code Retry-After: 1}: the
 * gateway is saturated, not the instance broken.</li>
 * <li>A response timeout becomes {@code 504 Gateway Timeout}.</li>
 * <li>A client that goes away before its request is complete gets nothing (it cannot);
 * the exchange is logged and counted with status {@code 499}, not as a server error.</li>
 * <li>Anything else is {@code 500}, logged with its cause.</li>
 * </ul>
 * Runs before Spring Boot's default handler ({@code @Order(-2)} vs -1).
 */
@Component
@Order(-2)
class ProblemDetailErrorHandler implements ErrorWebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailErrorHandler.class);

	private static final HttpStatusCode CLIENT_CLOSED_REQUEST = HttpStatusCode.valueOf(499);

	private final ProblemResponses problems;

	ProblemDetailErrorHandler(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof AbortedException) {
			// The client closed its connection or stream (e.g. in the middle of its body):
			// nothing can be answered and nothing is wrong here. Logged and counted as 499,
			// nginx's "client closed request", not as a server error.
			log.debug("Client went away during {} {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath());
			exchange.getResponse().setStatusCode(CLIENT_CLOSED_REQUEST);
			return Mono.empty();
		}
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		HttpHeaders headers = new HttpHeaders();
		// In handle, toProblem's log lines carry the request's trace id (TraceLogging).
		return Mono.just(ex).<ProblemDetail>handle((error, sink) -> sink.next(toProblem(exchange, error, headers)))
			.flatMap(problem -> {
				exchange.getResponse().getHeaders().clear();
				return problems.write(exchange, problem, headers);
			});
	}

	private static ProblemDetail toProblem(ServerWebExchange exchange, Throwable ex, HttpHeaders headers) {
		if (ex instanceof ErrorResponse response) {
			headers.addAll(response.getHeaders());
			ProblemDetail body = response.getBody();
			HttpStatusCode status = response.getStatusCode();
			if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
				headers.set(HttpHeaders.RETRY_AFTER, "5");
				log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
						ex.getMessage());
			}
			return body;
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		// Reactor Netty's pool exceptions (checked before TimeoutException, which one extends).
		if (root instanceof PoolAcquirePendingLimitException || root instanceof PoolAcquireTimeoutException) {
			log.warn("Upstream pool full for {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), root.getMessage());
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
					(root instanceof PoolAcquireTimeoutException)
							? "No connection to the service instance became free in time."
							: "Too many requests are waiting for a connection to the service instance.");
		}
		// Connection refused or reset (ConnectException is one of these).
		if (root instanceof IOException) {
			log.warn("Upstream connection failed for {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), root.toString());
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			return problem(HttpStatus.BAD_GATEWAY, "Bad gateway", "The upstream service instance could not be reached.");
		}
		if (root instanceof TimeoutException) {
			log.warn("Upstream timeout for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath());
			return problem(HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout", "The upstream service did not answer in time.");
		}
		log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The request could not be processed.");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
