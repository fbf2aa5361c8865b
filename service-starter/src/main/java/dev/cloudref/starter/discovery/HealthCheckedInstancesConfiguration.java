package dev.cloudref.starter.discovery;

import dev.cloudref.starter.client.TimeoutConnectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * LoadBalancer client configuration (one child context per service id) whose instance
 * list is the registry's, filtered by an active health check: every
 * {@code spring.cloud.loadbalancer.health-check.interval} each instance's
 * {@code spring.cloud.loadbalancer.health-check.path} (here the readiness probe,
 * {@code /readyz}) is fetched, and only instances that answer 2xx are chosen.
 *
 * <p>Why: the registry notices a crashed instance only when its lease expires (more
 * than 10 s even with short leases), while a probe every second notices a refused
 * connection within about a second; an instance that is shutting down or has lost its
 * database reports itself not ready and leaves rotation the same way.
 *
 * <p>An empty list from the registry (a registry that restarted and is still filling)
 * does not wipe the instances known so far: see {@link LastKnownInstances}.
 *
 * <p>A LoadBalancer retry ({@code spring.cloud.loadbalancer.retry}) leaves out the
 * instance the failed attempt went to, unless it is the only one
 * ({@code RetryAwareServiceInstanceListSupplier}). Without that, a retry after a refused
 * connection could go back to the crashed instance while its last probe still counts:
 * round robin moves one step per choice, and concurrent calls also take steps.
 *
 * <p>The probe uses its own plain {@link WebClient} (not the {@code @LoadBalanced} one,
 * whose filter would resolve the instance's address as a service name), with short
 * timeouts ({@link HealthCheckProbeProperties}) so a hung instance fails its probe
 * instead of stalling it. Further
 * delegates (for example the gateway's "avoid the instance that just failed") are
 * applied on top, in order, from {@link ServiceInstanceListSupplierBuilder.DelegateCreator}
 * beans of the application.
 *
 * <p>Not a {@code @Configuration}: Spring Cloud LoadBalancer registers it in each
 * client's child context (see {@link HealthCheckedInstancesAutoConfiguration}).
 */
public class HealthCheckedInstancesConfiguration {

	/**
	 * @param context the LoadBalancer child context of one service id
	 * @param delegates extra delegates to stack on the health-checked list, in order
	 * @return registry instances that passed their last health check
	 */
	@Bean
	public ServiceInstanceListSupplier healthCheckedServiceInstanceListSupplier(ConfigurableApplicationContext context,
			ObjectProvider<ServiceInstanceListSupplierBuilder.DelegateCreator> delegates) {
		ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder();
		builder = (context.getBeanProvider(ReactiveDiscoveryClient.class).getIfAvailable() != null)
				? builder.withDiscoveryClient() : builder.withBlockingDiscoveryClient();
		HealthCheckProbeProperties probe = context.getBean(HealthCheckProbeProperties.class);
		builder = builder.with((ctx, registry) -> new LastKnownInstances(registry))
			.withHealthChecks(probeClient(probe))
			.withRetryAwareness();
		for (ServiceInstanceListSupplierBuilder.DelegateCreator delegate : delegates.orderedStream().toList()) {
			builder = builder.with(delegate);
		}
		return builder.build(context);
	}

	private static WebClient probeClient(HealthCheckProbeProperties probe) {
		return WebClient.builder()
			.clientConnector(TimeoutConnectors.of(probe.connectTimeout(), probe.responseTimeout()))
			.build();
	}

}
