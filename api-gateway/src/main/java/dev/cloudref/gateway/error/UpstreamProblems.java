package dev.cloudref.gateway.error;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import dev.cloudref.starter.web.ProblemMapper;
import dev.cloudref.starter.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Maps the gateway's upstream failures to problem details (RFC 9457): no instance or a
 * full connection pool is {@code 503} with {@code Retry-After}, a refused or reset
 * connection {@code 502}, a response timeout {@code 504}.
 */
@Component
class UpstreamProblems implements ProblemMapper {

	private static final Logger log = LoggerFactory.getLogger(UpstreamProblems.class);

	@Override
	public ProblemDetail map(ServerWebExchange exchange, Throwable ex, HttpHeaders headers) {
		if (ex instanceof ErrorResponse response) {
			if (response.getStatusCode().value() != HttpStatus.SERVICE_UNAVAILABLE.value()) {
				return null;
			}
			log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.getMessage());
			headers.addAll(response.getHeaders());
			headers.set(HttpHeaders.RETRY_AFTER, "5");
			return response.getBody();
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		// Reactor Netty's pool exceptions (checked before TimeoutException, which one
		// extends).
		if (root instanceof PoolAcquirePendingLimitException || root instanceof PoolAcquireTimeoutException) {
			log.warn("Upstream pool full for {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), root.getMessage());
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
					(root instanceof PoolAcquireTimeoutException)
							? "No connection to the service instance became free in time."
							: "Too many requests are waiting for a connection to the service instance.");
		}
		// Connection refused or reset (ConnectException is one of these).
		if (root instanceof IOException) {
			log.warn("Upstream connection failed for {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), root.toString());
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			return Problems.of(HttpStatus.BAD_GATEWAY, "Bad gateway",
					"The upstream service instance could not be reached.");
		}
		if (root instanceof TimeoutException) {
			log.warn("Upstream timeout for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath());
			return Problems.of(HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout",
					"The upstream service did not answer in time.");
		}
		return null;
	}

}
