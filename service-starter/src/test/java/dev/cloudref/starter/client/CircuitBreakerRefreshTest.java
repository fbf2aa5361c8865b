package dev.cloudref.starter.client;

import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerRefreshTest {

	private static final String THRESHOLD = "resilience4j.circuitbreaker.configs.default.failure-rate-threshold";

	private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();

	private final MockEnvironment environment = new MockEnvironment().withProperty(THRESHOLD, "50")
		.withProperty("resilience4j.circuitbreaker.instances.order-service.base-config", "default");

	private final CircuitBreakerRefresh refresh;

	CircuitBreakerRefreshTest() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("registry", registry);
		refresh = new CircuitBreakerRefresh(beans.getBeanProvider(CircuitBreakerRegistry.class), environment);
		registry.circuitBreaker("order-service", CircuitBreakerConfig.custom().failureRateThreshold(50).build());
		registry.circuitBreaker("undeclared", CircuitBreakerConfig.custom().failureRateThreshold(50).build());
	}

	@Test
	void aChangedThresholdReplacesTheDeclaredBreakerWithOneOfTheNewSettings() {
		CircuitBreaker before = registry.circuitBreaker("order-service");
		before.transitionToOpenState();

		environment.setProperty(THRESHOLD, "25");
		refresh.onApplicationEvent(new EnvironmentChangeEvent(Set.of(THRESHOLD)));

		CircuitBreaker after = registry.circuitBreaker("order-service");
		assertThat(after).isNotSameAs(before);
		assertThat(after.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(25);
		assertThat(after.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		// Not declared in the settings: left as it is.
		assertThat(registry.circuitBreaker("undeclared").getCircuitBreakerConfig().getFailureRateThreshold())
			.isEqualTo(50);
	}

	@Test
	void invalidSettingsLeaveTheBreakerInForce() {
		CircuitBreaker before = registry.circuitBreaker("order-service");

		environment.setProperty(THRESHOLD, "150");
		refresh.onApplicationEvent(new EnvironmentChangeEvent(Set.of(THRESHOLD)));

		assertThat(registry.circuitBreaker("order-service")).isSameAs(before);
	}

	@Test
	void otherChangesLeaveTheBreakersAlone() {
		CircuitBreaker before = registry.circuitBreaker("order-service");

		environment.setProperty(THRESHOLD, "25");
		refresh.onApplicationEvent(new EnvironmentChangeEvent(Set.of("logging.level.root")));

		assertThat(registry.circuitBreaker("order-service")).isSameAs(before);
	}

}
