package dev.cloudref.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two limiters on one real Redis behave like one bucket: what two gateway instances see.
 * Redis: {@code REDIS_URI}, default {@code redis://127.0.0.1:6379} (.ci/run starts it).
 */
class RedisApiKeyRateLimiterTest {

	private static final String REDIS_URI = System.getenv().getOrDefault("REDIS_URI", "redis://127.0.0.1:6379");

	private final RateLimitProperties properties = new RateLimitProperties(true,
			new RateLimitProperties.Policy(3, 1, Duration.ofHours(1), 32), Map.of(), REDIS_URI);

	private RedisApiKeyRateLimiter gatewayA;

	private RedisApiKeyRateLimiter gatewayB;

	@BeforeEach
	void connect() {
		if (System.getenv("CI") != null) {
			// CI starts Redis (.ci/run): a missing one is a broken build, not a skipped
			// test.
			assertThat(redisAnswers()).as("Redis at " + REDIS_URI).isTrue();
		}
		assumeTrue(redisAnswers(), "No Redis at " + REDIS_URI);
		gatewayA = new RedisApiKeyRateLimiter(RateLimitPolicies.of(properties));
		gatewayB = new RedisApiKeyRateLimiter(RateLimitPolicies.of(properties));
	}

	@AfterEach
	void close() {
		if (gatewayA != null) {
			gatewayA.close();
			gatewayB.close();
		}
	}

	@Test
	void sharesOneBucketPerKeyBetweenGatewayInstances() {
		String keyId = "test-" + UUID.randomUUID();

		assertThat(gatewayA.tryConsume(keyId).block().remaining()).isEqualTo(2);
		assertThat(gatewayB.tryConsume(keyId).block().remaining()).isEqualTo(1);
		assertThat(gatewayA.tryConsume(keyId).block().allowed()).isTrue();
		RateLimitDecision fourth = gatewayB.tryConsume(keyId).block();

		assertThat(fourth.allowed()).isFalse();
		assertThat(fourth.retryAfterSeconds()).isBetween(1L, 3600L);
		assertThat(gatewayA.tryConsume("other-" + keyId).block().allowed()).isTrue();
	}

	@Test
	void limitsInMemoryWhileRedisIsUnreachable() {
		RateLimitProperties unreachable = new RateLimitProperties(true, properties.defaults(), Map.of(),
				"redis://127.0.0.1:1");
		try (RedisApiKeyRateLimiter limiter = new RedisApiKeyRateLimiter(RateLimitPolicies.of(unreachable))) {
			// The bucket holds 3: the fallback lets three pass and refuses the fourth,
			// as Redis would have (before, every request passed while Redis was out).
			for (int i = 1; i <= 3; i++) {
				RateLimitDecision decision = limiter.tryConsume("any").block(Duration.ofSeconds(10));
				assertThat(decision.allowed()).as("request %d", i).isTrue();
				assertThat(decision.remaining()).isEqualTo(3 - i);
			}
			RateLimitDecision fourth = limiter.tryConsume("any").block(Duration.ofSeconds(10));
			assertThat(fourth.allowed()).isFalse();
			assertThat(fourth.retryAfterSeconds()).isBetween(1L, 3600L);
			assertThat(limiter.tryConsume("another").block(Duration.ofSeconds(10)).allowed()).isTrue();
		}
	}

	private static boolean redisAnswers() {
		RedisClient client = RedisClient.create(REDIS_URI);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return "PONG".equals(connection.sync().ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
		finally {
			client.shutdown();
		}
	}

}
