package dev.cloudref.starter.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;

/**
 * Turns an error that reached {@link ProblemErrorWebExceptionHandler} into a problem
 * detail, for errors the application knows better (e.g. the gateway's 502, 503, 504).
 * Beans are asked in order; the first non-null answer wins.
 */
@FunctionalInterface
public interface ProblemMapper {

	/**
	 * @param exchange the failed exchange
	 * @param error what went wrong
	 * @param headers response headers to send with the problem (e.g.
	 * {@code Retry-After}); add to them only when returning a problem
	 * @return the problem, or null when this mapper does not know the error
	 */
	ProblemDetail map(ServerWebExchange exchange, Throwable error, HttpHeaders headers);

}
