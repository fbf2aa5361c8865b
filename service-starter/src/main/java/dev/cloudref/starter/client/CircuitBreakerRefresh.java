package dev.cloudref.starter.client;

import java.util.List;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Applies changed {@code resilience4j.circuitbreaker.*} settings (thresholds, window,
 * open time) to the running application's circuit breakers: Resilience4j builds each
 * breaker once, from the settings at start, so this replaces every declared breaker
 * ({@code resilience4j.circuitbreaker.instances.<name>}) with one of the new settings
 * when a config change reaches the application ({@link EnvironmentChangeEvent}). Spring
 * Cloud CircuitBreaker looks its breaker up in the registry at each call, so the next
 * call uses the new one. A replaced breaker starts closed, with an empty window. Settings
 * that fail to bind or build (e.g. a failure rate threshold of 150) are refused with an
 * error in the log; the breaker in force stays.
 */
public class CircuitBreakerRefresh implements ApplicationListener<EnvironmentChangeEvent> {

	private static final Log log = LogFactory.getLog(CircuitBreakerRefresh.class);

	private static final String PREFIX = "resilience4j.circuitbreaker";

	private final ObjectProvider<CircuitBreakerRegistry> registry;

	private final Environment environment;

	/**
	 * @param registry the application's circuit breakers (Resilience4j's Spring Boot
	 * registry), if it has any
	 * @param environment where the changed settings are bound from
	 */
	public CircuitBreakerRefresh(ObjectProvider<CircuitBreakerRegistry> registry, Environment environment) {
		this.registry = registry;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		CircuitBreakerRegistry breakers = registry.getIfAvailable();
		if (breakers == null || event.getKeys().stream().noneMatch(key -> key.startsWith(PREFIX + "."))) {
			return;
		}
		CircuitBreakerProperties properties;
		try {
			properties = Binder.get(environment).bindOrCreate(PREFIX, CircuitBreakerProperties.class);
		}
		catch (RuntimeException ex) {
			log.error(PREFIX + ".* unchanged: the new settings do not bind (" + ex.getMessage() + ")");
			return;
		}
		for (CircuitBreaker breaker : List.copyOf(breakers.getAllCircuitBreakers())) {
			String name = breaker.getName();
			// Only the declared ones (resilience4j falls back to configs.default for
			// others).
			Optional<InstanceProperties> declared = Optional.ofNullable(properties.getInstances().get(name));
			if (declared.isEmpty()) {
				continue;
			}
			CircuitBreakerConfig config;
			try {
				config = properties.createCircuitBreakerConfig(name, declared.get(),
						new CompositeCustomizer<>(List.of()));
			}
			catch (RuntimeException ex) {
				log.error("Circuit breaker " + name + " unchanged: its new settings are invalid (" + ex.getMessage()
						+ ")");
				continue;
			}
			breakers.replace(name, CircuitBreaker.of(name, config, breaker.getTags()));
			log.info("Circuit breaker " + name + " replaced with the new settings: failure rate threshold "
					+ config.getFailureRateThreshold() + "%, window " + config.getSlidingWindowSize() + " calls, open "
					+ config.getWaitIntervalFunctionInOpenState().apply(1) + " ms");
		}
	}

}
