package dev.cloudref.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/**
 * Takes one token from an API key's Bucket4j token bucket. Not Spring Cloud Gateway's
 * {@code RateLimiter}, which keys buckets by route: this one keys them by the
 * authenticated API key, before any route is chosen.
 */
public interface ApiKeyRateLimiter {

	/**
	 * @param keyId the authenticated key id
	 * @return whether the request may pass, with the numbers for the {@code RateLimit-*}
	 * headers; never an error (a shared limiter that cannot reach its store decides
	 * locally instead)
	 */
	Mono<RateLimitDecision> tryConsume(String keyId);

	/**
	 * @param policy a key's policy
	 * @return the Bucket4j bandwidth of that policy
	 */
	static Bandwidth bandwidth(RateLimitProperties.Policy policy) {
		return Bandwidth.builder()
			.capacity(policy.capacity())
			.refillGreedy(policy.refillTokens(), policy.refillPeriod())
			.build();
	}

	/**
	 * @param probe the result of a consumption attempt
	 * @param policy the bucket's policy
	 * @return the decision for it
	 */
	static RateLimitDecision decision(ConsumptionProbe probe, RateLimitProperties.Policy policy) {
		long reset = seconds(probe.getNanosToWaitForReset());
		if (probe.isConsumed()) {
			return new RateLimitDecision(true, policy.capacity(), probe.getRemainingTokens(), reset, 0);
		}
		return new RateLimitDecision(false, policy.capacity(), 0, reset,
				Math.max(1, seconds(probe.getNanosToWaitForRefill())));
	}

	private static long seconds(long nanos) {
		return Duration.ofNanos(nanos).plusNanos(TimeUnit.SECONDS.toNanos(1) - 1).toSeconds();
	}

}
