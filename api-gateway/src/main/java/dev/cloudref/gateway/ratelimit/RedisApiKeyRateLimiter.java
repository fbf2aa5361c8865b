package dev.cloudref.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;

/**
 * Token buckets in Redis, shared by every gateway instance (Bucket4j over Lettuce). When
 * Redis does not answer within {@value #TIMEOUT_MS} ms, {@link LocalApiKeyRateLimiter}
 * decides instead, so a Redis outage neither stops the API nor lifts the limits.
 */
class RedisApiKeyRateLimiter implements ApiKeyRateLimiter, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisApiKeyRateLimiter.class);

	private static final String KEY_PREFIX = "cloudref:rate-limit:";

	private static final long TIMEOUT_MS = 500;

	private final RateLimitPolicies policies;

	private final RedisClient client = RedisClient.create();

	/** Connects on first use, not at start-up, so the gateway starts without Redis. */
	private final Mono<AsyncProxyManager<byte[]>> buckets;

	private final ApiKeyRateLimiter fallback;

	private final AtomicBoolean fallingBack = new AtomicBoolean();

	RedisApiKeyRateLimiter(RateLimitPolicies policies) {
		this(policies, new LocalApiKeyRateLimiter(policies));
	}

	/**
	 * @param policies the policies in force, and {@code redis-uri} (read here only)
	 * @param fallback the limiter that decides while Redis does not answer
	 */
	RedisApiKeyRateLimiter(RateLimitPolicies policies, ApiKeyRateLimiter fallback) {
		this.policies = policies;
		this.fallback = fallback;
		RedisURI uri = RedisURI.create(policies.current().redisUri());
		this.buckets = Mono.fromCompletionStage(() -> client.connectAsync(ByteArrayCodec.INSTANCE, uri))
			.map(connection -> Bucket4jLettuce.casBasedBuilder(connection)
				.expirationAfterWrite(
						ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
				.build()
				.asAsync())
			// Keep a connection once made; forget failures so that the next call tries
			// again.
			.cache(connected -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
	}

	@Override
	public Mono<RateLimitDecision> tryConsume(String keyId) {
		RateLimitProperties.Policy policy = policies.policyOf(keyId);
		// The policy is part of the key: after a change at run time every gateway uses a
		// new, full bucket of the new policy, and the old one expires.
		byte[] key = (KEY_PREFIX + keyId + ":" + policy.capacity() + "/" + policy.refillTokens() + "/"
				+ policy.refillPeriod().toMillis() + "ms")
			.getBytes(StandardCharsets.UTF_8);
		return buckets
			.flatMap(proxies -> Mono
				.fromFuture(() -> proxies.builder().build(key, configuration(policy)).tryConsumeAndReturnRemaining(1)))
			.timeout(Duration.ofMillis(TIMEOUT_MS))
			.map(probe -> {
				if (fallingBack.compareAndSet(true, false)) {
					log.info("Redis answers again; rate limits are shared again");
				}
				return ApiKeyRateLimiter.decision(probe, policy);
			})
			.onErrorResume(ex -> {
				if (fallingBack.compareAndSet(false, true)) {
					return TraceLogging.logged(() -> log.warn(
							"Rate limiter's Redis unavailable ({}); limiting in this gateway's memory until it answers",
							ex.toString()))
						.then(fallback.tryConsume(keyId));
				}
				return fallback.tryConsume(keyId);
			});
	}

	private static Supplier<CompletableFuture<BucketConfiguration>> configuration(RateLimitProperties.Policy policy) {
		return () -> CompletableFuture
			.completedFuture(BucketConfiguration.builder().addLimit(ApiKeyRateLimiter.bandwidth(policy)).build());
	}

	@Override
	public void close() {
		client.shutdown();
	}

}
