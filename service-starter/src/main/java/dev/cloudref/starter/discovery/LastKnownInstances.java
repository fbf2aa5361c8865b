package dev.cloudref.starter.discovery;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The registry's instance list, except that an empty list does not replace a non-empty
 * one, so clients keep their instances while a restarted registry refills; readiness
 * probes still keep dead instances out of rotation.
 */
public class LastKnownInstances extends DelegatingServiceInstanceListSupplier {

	private final AtomicReference<List<ServiceInstance>> lastKnown = new AtomicReference<>(List.of());

	/**
	 * @param delegate the registry's list
	 */
	public LastKnownInstances(ServiceInstanceListSupplier delegate) {
		super(delegate);
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get().map(this::keepLastKnownWhenEmpty);
	}

	private List<ServiceInstance> keepLastKnownWhenEmpty(List<ServiceInstance> instances) {
		if (instances.isEmpty()) {
			return this.lastKnown.get();
		}
		this.lastKnown.set(List.copyOf(instances));
		return instances;
	}

}
