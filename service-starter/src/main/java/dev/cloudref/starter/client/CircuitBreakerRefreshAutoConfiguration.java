package dev.cloudref.starter.client;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Circuit breaker settings that follow configuration changes while the service runs
 * ({@link CircuitBreakerRefresh}), where the service has Resilience4j's circuit breakers
 * and Spring Cloud's refresh.
 */
@AutoConfiguration
@ConditionalOnClass({ CircuitBreakerRegistry.class, CircuitBreakerProperties.class, EnvironmentChangeEvent.class })
public class CircuitBreakerRefreshAutoConfiguration {

	/**
	 * @param registry the circuit breakers, if any
	 * @param environment where changed settings are bound from
	 * @return the listener that applies changed settings
	 */
	@Bean
	CircuitBreakerRefresh circuitBreakerRefresh(ObjectProvider<CircuitBreakerRegistry> registry,
			Environment environment) {
		return new CircuitBreakerRefresh(registry, environment);
	}

}
