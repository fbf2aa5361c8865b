package dev.cloudref.starter.discovery;

import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * How every LoadBalancer client (a service's calls to another, a gateway route to a
 * service) chooses among the instances that are in rotation
 * ({@code cloudref.loadbalancer.strategy.*}). Changes apply while the application runs (a
 * config repository change; {@link LoadBalancingStrategyAutoConfiguration}).
 *
 * @param defaultStrategy {@code default}: the strategy of every service without its own
 * (default {@code round-robin})
 * @param services strategies by service id, e.g.
 * {@code cloudref.loadbalancer.strategy.services.user-service=weighted}; a gateway route
 * {@code lb://user-service} follows the same entry
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.strategy")
public record LoadBalancingStrategies(@NotNull @Name("default") @DefaultValue("round-robin") Strategy defaultStrategy,
		@NotNull @DefaultValue Map<String, Strategy> services) {

	/**
	 * @param serviceId a service id, e.g. {@code user-service}
	 * @return its strategy, or the default one
	 */
	public Strategy of(String serviceId) {
		return services.getOrDefault(serviceId, defaultStrategy);
	}

	/** The strategies, each one of Spring Cloud LoadBalancer's own. */
	public enum Strategy {

		/**
		 * Each instance in turn (Spring Cloud LoadBalancer's
		 * {@code RoundRobinLoadBalancer}).
		 */
		ROUND_ROBIN,
		/** An instance at random ({@code RandomLoadBalancer}). */
		RANDOM,
		/**
		 * In turn, each instance as often as its registration's metadata entry
		 * {@code weight} says (an integer, 1 when missing or invalid;
		 * {@code WeightedServiceInstanceListSupplier}): weights 3 and 1 give 75% and 25%.
		 */
		WEIGHTED,
		/**
		 * In turn among the instances whose metadata entry {@code zone} is this
		 * application's zone ({@code spring.cloud.loadbalancer.zone}, with Eureka its own
		 * {@code eureka.instance.metadata-map.zone}), among all when none is
		 * ({@code ZonePreferenceServiceInstanceListSupplier}).
		 */
		ZONE_PREFERENCE

	}

}
