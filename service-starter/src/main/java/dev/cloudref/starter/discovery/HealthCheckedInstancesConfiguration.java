package dev.cloudref.starter.discovery;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * LoadBalancer client configuration (not a {@code @Configuration}: one child context per
 * client): registry instances ({@link LastKnownInstances}), filtered by probes
 * ({@link ProbedInstances}) and outlier detection ({@link InstanceRotation}).
 */
public class HealthCheckedInstancesConfiguration {

	/**
	 * @param environment the child context's environment (its
	 * {@code loadbalancer.client.name} is the service id)
	 * @param probe the panic threshold
	 * @param outlierDetection when real-request failures eject an instance
	 * @param meters where the rotation's metrics go, if anywhere
	 * @return the rotation of the service's instances
	 */
	@Bean
	public InstanceRotation instanceRotation(Environment environment, HealthCheckProbeProperties probe,
			OutlierDetectionProperties outlierDetection, ObjectProvider<MeterRegistry> meters) {
		String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME, "unknown");
		InstanceRotation rotation = new InstanceRotation(serviceId, probe.panicThreshold(), outlierDetection,
				System::nanoTime);
		meters.ifAvailable(registry -> bindMetrics(rotation, registry));
		return rotation;
	}

	/**
	 * @param rotation the service's rotation
	 * @param outlierDetection which statuses count as failures
	 * @return the lifecycle that reports each load-balanced request's outcome
	 */
	@Bean
	public OutlierDetectionLifecycle outlierDetectionLifecycle(InstanceRotation rotation,
			OutlierDetectionProperties outlierDetection) {
		return new OutlierDetectionLifecycle(rotation, outlierDetection.failureStatuses());
	}

	/**
	 * @param context the LoadBalancer child context of one service id
	 * @param rotation the service's rotation
	 * @param delegates extra delegates to stack on the list, in order
	 * @return the registry's instances that may be chosen now
	 */
	@Bean
	public ServiceInstanceListSupplier healthCheckedServiceInstanceListSupplier(ConfigurableApplicationContext context,
			InstanceRotation rotation, ObjectProvider<ServiceInstanceListSupplierBuilder.DelegateCreator> delegates) {
		ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder();
		builder = (context.getBeanProvider(ReactiveDiscoveryClient.class).getIfAvailable() != null)
				? builder.withDiscoveryClient() : builder.withBlockingDiscoveryClient();
		LoadBalancerProbes probes = context.getBean(LoadBalancerProbes.class);
		builder = builder.with((ctx, registry) -> new LastKnownInstances(registry))
			.with((ctx, registry) -> new ProbedInstances(registry, ctx.getBean(LoadBalancerClientFactory.class),
					probes.client(), rotation))
			.withRetryAwareness();
		for (ServiceInstanceListSupplierBuilder.DelegateCreator delegate : delegates.orderedStream().toList()) {
			builder = builder.with(delegate);
		}
		return builder.build(context);
	}

	private static void bindMetrics(InstanceRotation rotation, MeterRegistry registry) {
		FunctionCounter.builder("cloudref.loadbalancer.ejections", rotation, InstanceRotation::ejections)
			.description("Instances ejected by outlier detection since start")
			.tag("service", rotation.serviceId())
			.register(registry);
		Gauge.builder("cloudref.loadbalancer.instances.ejected", rotation, InstanceRotation::ejectedNow)
			.description("Instances ejected by outlier detection now")
			.tag("service", rotation.serviceId())
			.register(registry);
		Gauge.builder("cloudref.loadbalancer.panic", rotation, r -> r.inPanic() ? 1 : 0)
			.description("1 while the instance list is below its panic threshold (every registry instance is chosen)")
			.tag("service", rotation.serviceId())
			.register(registry);
	}

}
