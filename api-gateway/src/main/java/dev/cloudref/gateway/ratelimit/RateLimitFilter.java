package dev.cloudref.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import dev.cloudref.gateway.security.ApiKeyAuthenticationFilter;
import dev.cloudref.starter.web.ProblemResponses;
import dev.cloudref.starter.web.Problems;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Limits each API key to its token bucket right after authentication, before any routing:
 * responses carry the IETF draft {@code RateLimit-*} header fields, and a request over
 * the limit gets {@code 429} with {@code Retry-After} (RFC 6585) as a problem detail.
 */
public class RateLimitFilter implements WebFilter, Ordered {

	/** Header with the bucket's capacity. */
	public static final String LIMIT = "RateLimit-Limit";

	/** Header with the tokens left. */
	public static final String REMAINING = "RateLimit-Remaining";

	/** Header with the seconds until the bucket is full. */
	public static final String RESET = "RateLimit-Reset";

	private final ApiKeyRateLimiter limiter;

	private final ProblemResponses problems;

	private final MeterRegistry meters;

	RateLimitFilter(ApiKeyRateLimiter limiter, ProblemResponses problems, MeterRegistry meters) {
		this.limiter = limiter;
		this.problems = problems;
		this.meters = meters;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String keyId = exchange.getAttribute(ApiKeyAuthenticationFilter.KEY_ID_ATTRIBUTE);
		if (keyId == null) {
			return chain.filter(exchange);
		}
		return limiter.tryConsume(keyId).flatMap(decision -> {
			count(keyId, decision.allowed() ? "allowed" : "limited");
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set(LIMIT, String.valueOf(decision.limit()));
			headers.set(REMAINING, String.valueOf(decision.remaining()));
			headers.set(RESET, String.valueOf(decision.resetSeconds()));
			return decision.allowed() ? chain.filter(exchange) : tooManyRequests(exchange, decision);
		});
	}

	private Mono<Void> tooManyRequests(ServerWebExchange exchange, RateLimitDecision decision) {
		ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
				"This caller (API key or OAuth client) is over its limit of " + decision.limit()
						+ " requests; retry after " + decision.retryAfterSeconds() + " s.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(decision.retryAfterSeconds()));
		return problems.write(exchange, problem, headers);
	}

	private void count(String keyId, String outcome) {
		Counter.builder("gateway.rate.limit.requests")
			.description("Rate-limit decisions at the gateway, per API key id")
			.tag("api.key.id", keyId)
			.tag("outcome", outcome)
			.register(meters)
			.increment();
	}

}
