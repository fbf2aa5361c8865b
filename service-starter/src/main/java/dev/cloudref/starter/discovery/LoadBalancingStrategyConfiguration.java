package dev.cloudref.starter.discovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.cloudref.starter.config.RefreshableProperties;

/**
 * LoadBalancer client configuration (not a {@code @Configuration}: one child context per
 * client): the client's {@link StrategicLoadBalancer}, in place of Spring Cloud
 * LoadBalancer's default round-robin one.
 */
public class LoadBalancingStrategyConfiguration {

	/**
	 * @param environment the child context's environment (its
	 * {@code loadbalancer.client.name} is the service id)
	 * @param instances the child context's instance list
	 * @param zone this application's zone
	 * @param strategies the strategies in force (the parent context's)
	 * @return the client's load balancer
	 */
	@Bean
	public ReactorLoadBalancer<ServiceInstance> reactorServiceInstanceLoadBalancer(Environment environment,
			ObjectProvider<ServiceInstanceListSupplier> instances, LoadBalancerZoneConfig zone,
			RefreshableProperties<LoadBalancingStrategies> strategies) {
		String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME, "unknown");
		return new StrategicLoadBalancer(serviceId, instances.getObject(), zone, strategies::current);
	}

}
