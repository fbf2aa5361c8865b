package dev.cloudref.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.cloudref.starter.config.RefreshableProperties;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitPoliciesTest {

	private final MockEnvironment environment = new MockEnvironment();

	private final RefreshableProperties<RateLimitProperties> properties = new RefreshableProperties<>(
			"gateway.rate-limit", RateLimitProperties.class,
			new RateLimitProperties(true, new RateLimitProperties.Policy(2, 1, Duration.ofHours(1), 32), Map.of(), ""),
			environment, new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));

	private final RateLimitPolicies policies = new RateLimitPolicies(properties);

	@Test
	void aChangedLimitIsInForceAfterTheEnvironmentChangeAndABucketOfTheNewPolicyServesTheNextRequest() {
		LocalApiKeyRateLimiter limiter = new LocalApiKeyRateLimiter(policies);
		assertAllowed(limiter, true, true, false);

		environment.setProperty("gateway.rate-limit.defaults.capacity", "5");
		environment.setProperty("gateway.rate-limit.keys.tiny.capacity", "1");
		properties.onApplicationEvent(new EnvironmentChangeEvent(
				Set.of("gateway.rate-limit.defaults.capacity", "gateway.rate-limit.keys.tiny.capacity")));

		assertThat(policies.policyOf("any").capacity()).isEqualTo(5);
		assertThat(policies.policyOf("tiny").capacity()).isEqualTo(1);
		assertAllowed(limiter, true, true, true, true, true, false);
	}

	@Test
	void anInvalidChangeIsRefusedAndThePoliciesInForceStay() {
		environment.setProperty("gateway.rate-limit.defaults.capacity", "0");
		properties.onApplicationEvent(new EnvironmentChangeEvent(Set.of("gateway.rate-limit.defaults.capacity")));

		assertThat(policies.policyOf("any").capacity()).isEqualTo(2);
	}

	@Test
	void otherChangesLeaveThePoliciesAlone() {
		environment.setProperty("gateway.rate-limit.defaults.capacity", "9");
		properties.onApplicationEvent(new EnvironmentChangeEvent(Set.of("logging.level.root")));

		assertThat(policies.policyOf("any").capacity()).isEqualTo(2);
	}

	private static void assertAllowed(ApiKeyRateLimiter limiter, Boolean... expected) {
		for (Boolean allowed : expected) {
			StepVerifier.create(limiter.tryConsume("any").map(RateLimitDecision::allowed))
				.expectNext(allowed)
				.verifyComplete();
		}
	}

}
