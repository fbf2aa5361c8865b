package dev.cloudref.gateway.ratelimit;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import dev.cloudref.gateway.security.ApiKeyAuthenticationFilter;
import dev.cloudref.starter.overload.ConcurrencyLimitFilter;
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
 * Caps the requests each API key has in flight at its policy's {@code max-in-flight}
 * ({@code 429} with {@code Retry-After: 1} above it), so that one client cannot take the
 * gateway's whole concurrency limit ({@link ConcurrencyLimitFilter}) and get others shed.
 */
public class InFlightLimitFilter implements WebFilter, Ordered {

	/** The filter's order: between the rate limit and the shared concurrency limit. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 25;

	private final Map<String, KeyLimiter> limiters = new ConcurrentHashMap<>();

	private final RateLimitPolicies policies;

	private final ProblemResponses problems;

	private final MeterRegistry meters;

	InFlightLimitFilter(RateLimitPolicies policies, ProblemResponses problems, MeterRegistry meters) {
		this.policies = policies;
		this.problems = problems;
		this.meters = meters;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String keyId = exchange.getAttribute(ApiKeyAuthenticationFilter.KEY_ID_ATTRIBUTE);
		if (keyId == null) {
			return chain.filter(exchange);
		}
		int maxInFlight = policies.policyOf(keyId).maxInFlight();
		KeyLimiter limiter = limiters.get(keyId);
		if (limiter == null || limiter.max() != maxInFlight) {
			// New, or its cap changed at run time: a new limiter. Requests in flight on
			// the old one free their places there.
			limiter = limiters.compute(keyId,
					(id, old) -> (old != null && old.max() == maxInFlight) ? old : KeyLimiter.of(id, maxInFlight));
		}
		Optional<Limiter.Listener> slot = limiter.limiter().acquire(null);
		if (slot.isEmpty()) {
			Counter.builder("gateway.in.flight.limited")
				.description("Requests refused because their API key had too many in flight")
				.tag("api.key.id", keyId)
				.register(meters)
				.increment();
			return tooMany(exchange, maxInFlight);
		}
		Limiter.Listener listener = slot.get();
		// A fixed limit learns nothing from samples: however the request ends, it frees
		// the place.
		return chain.filter(exchange).doFinally(signal -> listener.onIgnore());
	}

	private Mono<Void> tooMany(ServerWebExchange exchange, int maxInFlight) {
		ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many requests in flight",
				"This API key is at its limit of " + maxInFlight
						+ " request(s) in flight; retry when one has completed.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "1");
		return problems.write(exchange, problem, headers);
	}

	/** A key's in-flight limiter and the cap it was made with. */
	private record KeyLimiter(int max, SimpleLimiter<Void> limiter) {

		static KeyLimiter of(String keyId, int max) {
			return new KeyLimiter(max,
					SimpleLimiter.newBuilder().named("api-key-" + keyId).limit(FixedLimit.of(max)).build());
		}

	}

}
