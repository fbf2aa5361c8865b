package dev.cloudref.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rate limits per API key ({@code gateway.rate-limit.*}): a token bucket per key id.
 *
 * @param enabled whether requests are limited at all (default true)
 * @param defaults the policy of every key without one of its own
 * @param keys policies by key id, e.g. {@code gateway.rate-limit.keys.<id>.capacity}
 * @param redisUri Redis for buckets shared by all gateway instances; empty: in memory
 */
@Validated
@ConfigurationProperties("gateway.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @Valid @NotNull @DefaultValue Policy defaults,
		@Valid @NotNull @DefaultValue Map<String, Policy> keys, @DefaultValue("") String redisUri) {

	/**
	 * @param keyId an authenticated key id
	 * @return that key's policy, or {@link #defaults()}
	 */
	public Policy policyOf(String keyId) {
		return keys.getOrDefault(keyId, defaults);
	}

	/**
	 * A key's policy: a token bucket of up to {@code capacity} requests, refilled with
	 * {@code refillTokens} every {@code refillPeriod} (greedily, spread over the period),
	 * and a cap on the key's requests in flight.
	 *
	 * @param capacity burst size in requests (default 200)
	 * @param refillTokens tokens added per period (default 100)
	 * @param refillPeriod the period (default 1 s)
	 * @param maxInFlight most requests the key may have in flight at once; one more is
	 * answered {@code 429} (default 32, half the gateway's initial concurrency limit, so
	 * that one client cannot take all of it; {@link InFlightLimitFilter})
	 */
	public record Policy(@Positive @DefaultValue("200") long capacity, @Positive @DefaultValue("100") long refillTokens,
			@NotNull @DefaultValue("1s") Duration refillPeriod, @Positive @DefaultValue("32") int maxInFlight) {
	}

}
