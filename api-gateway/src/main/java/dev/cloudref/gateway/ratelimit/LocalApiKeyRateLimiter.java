package dev.cloudref.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import reactor.core.publisher.Mono;

/**
 * Buckets in this gateway instance's memory: exact for one instance; with N instances
 * behind a load balancer a key gets up to N times its limit (use Redis then). Bucket4j's
 * local buckets are lock-free, so consuming never blocks the event loop. When a key's
 * policy changes at run time, its next request gets a new, full bucket of the new policy.
 */
class LocalApiKeyRateLimiter implements ApiKeyRateLimiter {

	private final RateLimitPolicies policies;

	private final Map<String, PolicyBucket> buckets = new ConcurrentHashMap<>();

	LocalApiKeyRateLimiter(RateLimitPolicies policies) {
		this.policies = policies;
	}

	@Override
	public Mono<RateLimitDecision> tryConsume(String keyId) {
		RateLimitProperties.Policy policy = policies.policyOf(keyId);
		PolicyBucket bucket = buckets.get(keyId);
		if (bucket == null || !bucket.policy().equals(policy)) {
			bucket = buckets.compute(keyId,
					(id, old) -> (old != null && old.policy().equals(policy)) ? old : PolicyBucket.of(policy));
		}
		return Mono.just(ApiKeyRateLimiter.decision(bucket.bucket().tryConsumeAndReturnRemaining(1), policy));
	}

	/** A key's bucket and the policy it was made for. */
	private record PolicyBucket(RateLimitProperties.Policy policy, Bucket bucket) {

		static PolicyBucket of(RateLimitProperties.Policy policy) {
			return new PolicyBucket(policy, Bucket.builder().addLimit(ApiKeyRateLimiter.bandwidth(policy)).build());
		}

	}

}
