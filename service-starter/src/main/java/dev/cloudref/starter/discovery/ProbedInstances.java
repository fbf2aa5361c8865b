package dev.cloudref.starter.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.discovery.InstanceRotation.ProbeOutcome;
import dev.cloudref.starter.discovery.InstanceRotation.ProbeResult;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Spring Cloud LoadBalancer's health-checked instance list, changed to keep busy
 * instances in rotation: a probe round emits one complete list, an unanswered probe is
 * inconclusive, and each choice goes through {@link InstanceRotation#choosable}.
 */
public class ProbedInstances extends HealthCheckServiceInstanceListSupplier {

	private final InstanceRotation rotation;

	private final WebClient probes;

	private final LoadBalancerProperties.HealthCheck healthCheck;

	/**
	 * @param delegate the registry's instances
	 * @param loadBalancers the LoadBalancer client factory (for the service's
	 * {@code spring.cloud.loadbalancer.health-check.*} properties)
	 * @param probes the client the probes are sent with
	 * @param rotation the service's rotation, which receives probe rounds and makes the
	 * choice
	 */
	public ProbedInstances(ServiceInstanceListSupplier delegate,
			ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers, WebClient probes, InstanceRotation rotation) {
		super(delegate, loadBalancers, (instance, path) -> Mono.just(true));
		LoadBalancerProperties properties = loadBalancers.getProperties(delegate.getServiceId());
		this.healthCheck = (properties != null) ? properties.getHealthCheck()
				: new LoadBalancerProperties.HealthCheck();
		this.probes = probes;
		this.rotation = rotation;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return super.get().map(this.rotation::choosable);
	}

	@Override
	protected Flux<List<ServiceInstance>> healthCheckFlux(List<ServiceInstance> instances) {
		this.rotation.registered(instances);
		Duration interval = this.healthCheck.getInterval();
		return Flux.defer(() -> probeRound(instances)).repeatWhen(rounds -> rounds.delayElements(interval));
	}

	private Mono<List<ServiceInstance>> probeRound(List<ServiceInstance> instances) {
		return Flux.fromIterable(instances)
			.flatMap(instance -> probe(instance).map(outcome -> new ProbeResult(instance, outcome)))
			.collectList()
			.map(this.rotation::probed);
	}

	private Mono<ProbeOutcome> probe(ServiceInstance instance) {
		String path = this.healthCheck.getPath().get(instance.getServiceId());
		if (this.healthCheck.getPath().containsKey(instance.getServiceId()) && (path == null || path.isBlank())) {
			return Mono.just(ProbeOutcome.READY);
		}
		if (path == null) {
			path = this.healthCheck.getPath().getOrDefault("default", "/actuator/health");
		}
		return this.probes.get()
			.uri(probeUri(instance, path))
			.exchangeToMono(response -> Mono
				.just(response.statusCode().is2xxSuccessful() ? ProbeOutcome.READY : ProbeOutcome.NOT_READY))
			.onErrorResume(error -> Mono.just(unanswered(error) ? ProbeOutcome.NO_ANSWER : ProbeOutcome.NOT_READY))
			// Safety net: a round never waits longer than one interval for a probe.
			.timeout(this.healthCheck.getInterval(), Mono.just(ProbeOutcome.NO_ANSWER));
	}

	private URI probeUri(ServiceInstance instance, String path) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUri(instance.getUri()).replacePath(path);
		if (this.healthCheck.getPort() != null) {
			uri.port(this.healthCheck.getPort());
		}
		return uri.build().toUri();
	}

	/**
	 * A response timeout (connection made, no answer in time), not a refused or broken
	 * connection.
	 */
	private static boolean unanswered(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof io.netty.handler.timeout.TimeoutException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

}
