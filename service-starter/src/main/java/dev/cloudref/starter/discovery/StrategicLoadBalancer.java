package dev.cloudref.starter.discovery;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.WeightedServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ZonePreferenceServiceInstanceListSupplier;

/**
 * One service's load balancer that chooses with the strategy configured for it at the
 * moment of each choice ({@link LoadBalancingStrategies}), so that a change applies to
 * the next request without a restart. Each strategy is Spring Cloud LoadBalancer's own,
 * made once over the same instance list (the health-checked, outlier-aware one where
 * service-starter provides it): switching keeps every strategy's position.
 */
public class StrategicLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final String serviceId;

	private final Supplier<LoadBalancingStrategies> strategies;

	private final Map<LoadBalancingStrategies.Strategy, ReactorServiceInstanceLoadBalancer> balancers;

	/**
	 * @param serviceId the service the instances belong to
	 * @param instances the instances that may be chosen
	 * @param zone this application's zone, for {@code zone-preference}
	 * @param strategies the strategies in force, read at each choice
	 */
	public StrategicLoadBalancer(String serviceId, ServiceInstanceListSupplier instances, LoadBalancerZoneConfig zone,
			Supplier<LoadBalancingStrategies> strategies) {
		this.serviceId = serviceId;
		this.strategies = strategies;
		this.balancers = new EnumMap<>(LoadBalancingStrategies.Strategy.class);
		balancers.put(LoadBalancingStrategies.Strategy.ROUND_ROBIN,
				new RoundRobinLoadBalancer(providerOf(instances), serviceId));
		balancers.put(LoadBalancingStrategies.Strategy.RANDOM,
				new RandomLoadBalancer(providerOf(instances), serviceId));
		balancers.put(LoadBalancingStrategies.Strategy.WEIGHTED,
				new RoundRobinLoadBalancer(providerOf(new WeightedServiceInstanceListSupplier(instances)), serviceId));
		balancers.put(LoadBalancingStrategies.Strategy.ZONE_PREFERENCE, new RoundRobinLoadBalancer(
				providerOf(new ZonePreferenceServiceInstanceListSupplier(instances, zone)), serviceId));
	}

	/**
	 * @param request the load-balanced request
	 * @return the instance chosen with the service's strategy in force, or an empty
	 * response when there is none to choose
	 */
	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		return balancers.get(strategies.get().of(serviceId)).choose(request);
	}

	private static ObjectProvider<ServiceInstanceListSupplier> providerOf(ServiceInstanceListSupplier supplier) {
		return new ObjectProvider<>() {

			@Override
			public ServiceInstanceListSupplier getObject() {
				return supplier;
			}

			@Override
			public ServiceInstanceListSupplier getIfAvailable() {
				return supplier;
			}

		};
	}

}
