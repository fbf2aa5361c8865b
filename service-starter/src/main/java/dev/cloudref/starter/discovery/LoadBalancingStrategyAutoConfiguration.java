package dev.cloudref.starter.discovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.cloudref.starter.config.RefreshableProperties;

/**
 * Makes every LoadBalancer client choose with the strategy configured for its service
 * ({@code cloudref.loadbalancer.strategy.*}: round-robin, random, weighted,
 * zone-preference), and follows changes to it while the application runs
 * ({@link RefreshableProperties}).
 */
@AutoConfiguration
@ConditionalOnClass({ ServiceInstanceListSupplier.class, EnvironmentChangeEvent.class })
@EnableConfigurationProperties(LoadBalancingStrategies.class)
@LoadBalancerClients(defaultConfiguration = LoadBalancingStrategyConfiguration.class)
public class LoadBalancingStrategyAutoConfiguration {

	/**
	 * @param strategies the strategies bound at start
	 * @param environment where changes are bound from
	 * @param validator Spring Boot's Bean Validation, if any
	 * @return the strategies in force
	 */
	@Bean
	RefreshableProperties<LoadBalancingStrategies> refreshableLoadBalancingStrategies(
			LoadBalancingStrategies strategies, Environment environment,
			ObjectProvider<jakarta.validation.Validator> validator) {
		return RefreshableProperties.validated("cloudref.loadbalancer.strategy", LoadBalancingStrategies.class,
				strategies, environment, validator);
	}

}
