package dev.cloudref.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import reactor.core.publisher.Mono;

/**
 * Buckets in this gateway instance's memory: exact for one instance; with N instances
 * behind a load balancer a key gets up to N times its limit (use Redis then). Bucket4j's
 * local buckets are lock-free, so consuming never blocks the event loop.
 */
class LocalApiKeyRateLimiter implements ApiKeyRateLimiter {

	private final RateLimitProperties properties;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	LocalApiKeyRateLimiter(RateLimitProperties properties) {
		this.properties = properties;
	}

	@Override
	public Mono<RateLimitDecision> tryConsume(String keyId) {
		RateLimitProperties.Policy policy = properties.policyOf(keyId);
		Bucket bucket = buckets.computeIfAbsent(keyId,
				id -> Bucket.builder().addLimit(ApiKeyRateLimiter.bandwidth(policy)).build());
		return Mono.just(ApiKeyRateLimiter.decision(bucket.tryConsumeAndReturnRemaining(1), policy));
	}

}
