package dev.cloudref.starter.client;

import java.time.Duration;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker, time limiter and bulkhead that Spring Cloud CircuitBreaker
 * (Resilience4j) creates for a called service start from service-starter's defaults, and
 * a service's own properties override them key by key, for all called services or for
 * one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "eureka.client.enabled=false", "cloudref.idempotency.enabled=false",
				"resilience4j.timelimiter.configs.default.timeout-duration=3s",
				"resilience4j.circuitbreaker.instances.tuned-service.sliding-window-size=5" })
class ResilienceDefaultsTest {

	@Autowired
	ReactiveCircuitBreakerFactory<?, ?> circuitBreakerFactory;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	TimeLimiterRegistry timeLimiters;

	@Autowired
	BulkheadRegistry bulkheads;

	@Autowired
	Environment environment;

	@Test
	void httpClientsGetTimeoutsThatNestInsideTheTimeLimiter() {
		Binder binder = Binder.get(environment);
		Duration connect = binder.bind("spring.http.clients.connect-timeout", Duration.class).get();
		Duration read = binder.bind("spring.http.clients.read-timeout", Duration.class).get();

		assertThat(connect).isEqualTo(Duration.ofMillis(500));
		assertThat(read).isEqualTo(Duration.ofSeconds(2));
		assertThat(connect.plus(read)).isLessThan(Duration.ofSeconds(3)); // this test's
																			// time
																			// limiter
	}

	@Test
	void aCalledServiceStartsFromTheStartersDefaults() {
		call("some-service");

		CircuitBreakerConfig breaker = circuitBreakers.circuitBreaker("some-service").getCircuitBreakerConfig();
		assertThat(breaker.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
		assertThat(breaker.getSlidingWindowSize()).isEqualTo(20);
		assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
		assertThat(breaker.getFailureRateThreshold()).isEqualTo(50f);
		assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5_000L);
		assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
		assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
		BulkheadConfig bulkhead = bulkheads.bulkhead("some-service").getBulkheadConfig();
		assertThat(bulkhead.getMaxConcurrentCalls()).isEqualTo(20);
		assertThat(bulkhead.getMaxWaitDuration()).isZero();
	}

	@Test
	void aServiceOverridesADefaultForEveryCalledService() {
		call("some-service");

		assertThat(timeLimiters.timeLimiter("some-service").getTimeLimiterConfig().getTimeoutDuration())
			.isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aServiceOverridesOneKeyForOneCalledServiceAndKeepsTheOtherDefaults() {
		call("tuned-service");

		CircuitBreakerConfig breaker = circuitBreakers.circuitBreaker("tuned-service").getCircuitBreakerConfig();
		assertThat(breaker.getSlidingWindowSize()).isEqualTo(5);
		assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
		assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5_000L);
	}

	private void call(String service) {
		assertThat(circuitBreakerFactory.create(service).run(Mono.just("answer")).block()).isEqualTo("answer");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
