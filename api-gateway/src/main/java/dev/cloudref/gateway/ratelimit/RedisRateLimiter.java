package dev.cloudref.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * Buckets in Redis, shared by every gateway instance (Bucket4j's compare-and-swap
 * proxy over Lettuce, asynchronous end to end). A bucket expires once it would be full
 * again, so idle keys cost nothing.
 *
 * <p>The connection is made on first use, not at start-up, so the gateway starts while
 * Redis is down. If Redis cannot be reached within {@value #TIMEOUT_MS} ms the request
 * passes (fail open) and a warning is logged: an outage of the limiter must not become an
 * outage of the API. A failed connection attempt is retried by the next request; an
 * established connection reconnects by itself.
 */
class RedisRateLimiter implements RateLimiter, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

	private static final String KEY_PREFIX = "cloudref:rate-limit:";

	private static final long TIMEOUT_MS = 500;

	private final RateLimitProperties properties;

	private final RedisClient client = RedisClient.create();

	private final Mono<AsyncProxyManager<byte[]>> buckets;

	RedisRateLimiter(RateLimitProperties properties) {
		this.properties = properties;
		RedisURI uri = RedisURI.create(properties.redisUri());
		this.buckets = Mono.fromCompletionStage(() -> client.connectAsync(ByteArrayCodec.INSTANCE, uri))
			.map(connection -> Bucket4jLettuce.casBasedBuilder(connection)
				.expirationAfterWrite(
						ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
				.build()
				.asAsync())
			// Keep a connection once made; forget failures so that the next call tries again.
			.cache(connected -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
	}

	@Override
	public Mono<RateLimitDecision> tryConsume(String keyId) {
		RateLimitProperties.Policy policy = properties.policyOf(keyId);
		byte[] key = (KEY_PREFIX + keyId).getBytes(StandardCharsets.UTF_8);
		return buckets
			.flatMap(proxies -> Mono
				.fromFuture(() -> proxies.builder().build(key, configuration(policy)).tryConsumeAndReturnRemaining(1)))
			.timeout(Duration.ofMillis(TIMEOUT_MS))
			.map(probe -> RateLimiter.decision(probe, policy))
			.onErrorResume(ex -> TraceLogging.loggedThen(
					() -> log.warn("Rate limiter unavailable ({}); letting the request pass", ex.toString()),
					RateLimitDecision.undecided(policy.capacity())));
	}

	private static Supplier<CompletableFuture<BucketConfiguration>> configuration(RateLimitProperties.Policy policy) {
		return () -> CompletableFuture
			.completedFuture(BucketConfiguration.builder().addLimit(RateLimiter.bandwidth(policy)).build());
	}

	@Override
	public void close() {
		client.shutdown();
	}

}
