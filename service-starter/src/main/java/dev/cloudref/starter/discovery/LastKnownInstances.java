package dev.cloudref.starter.discovery;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The registry's instance list, except that an empty list does not replace a non-empty
 * one: the last known instances are kept and the health check above decides which of
 * them are alive.
 *
 * <p>Why: a restarted registry starts empty and fills as instances re-register at their
 * next heartbeat; a client that fetches it in between would otherwise forget every
 * instance of a service for a few seconds and fail requests that the instances, still
 * running, could have served. Instances that are really gone fail their readiness probe
 * and are not chosen, so nothing dead is kept in rotation.
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
