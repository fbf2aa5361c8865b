package dev.cloudref.starter.observability;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Observation defaults of every app: operational traffic is not observed (see
 * {@link OperationalTrafficObservationPredicate}). Switch off with
 * {@code cloudref.observations.skip-operational-traffic=false}.
 */
@AutoConfiguration
@ConditionalOnClass(ObservationPredicate.class)
@ConditionalOnProperty(name = "cloudref.observations.skip-operational-traffic", matchIfMissing = true)
public class ObservationDefaultsAutoConfiguration {

	/**
	 * @return the predicate Spring Boot registers with the observation registry
	 */
	@Bean
	public ObservationPredicate operationalTrafficObservationPredicate() {
		return new OperationalTrafficObservationPredicate();
	}

}
