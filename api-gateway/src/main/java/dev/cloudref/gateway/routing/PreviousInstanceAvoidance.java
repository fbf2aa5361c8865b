package dev.cloudref.gateway.routing;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * A LoadBalancer instance list that leaves out the instance a gateway request was sent to
 * before, so the route's {@code Retry} filter tries another one (Spring Cloud's
 * {@code RetryAwareServiceInstanceListSupplier} covers LoadBalancer's own retries only).
 */
public class PreviousInstanceAvoidance extends DelegatingServiceInstanceListSupplier {

	/**
	 * @param delegate the list to filter (health-checked registry instances)
	 */
	public PreviousInstanceAvoidance(ServiceInstanceListSupplier delegate) {
		super(delegate);
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get();
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Flux<List<ServiceInstance>> get(Request request) {
		ServiceInstance previous = previousInstance(request);
		Flux<List<ServiceInstance>> instances = this.delegate.get(request);
		return (previous == null) ? instances : instances.map(list -> without(list, previous));
	}

	private static ServiceInstance previousInstance(Request<?> request) {
		if (request.getContext() instanceof RequestDataContext context && context.getClientRequest() != null
				&& context.getClientRequest().getAttributes() != null
				&& context.getClientRequest()
					.getAttributes()
					.get(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR) instanceof Response<?> response
				&& response.getServer() instanceof ServiceInstance instance) {
			return instance;
		}
		return null;
	}

	private static List<ServiceInstance> without(List<ServiceInstance> instances, ServiceInstance previous) {
		List<ServiceInstance> others = instances.stream()
			.filter(instance -> !sameInstance(instance, previous))
			.toList();
		return others.isEmpty() ? instances : others;
	}

	private static boolean sameInstance(ServiceInstance a, ServiceInstance b) {
		return a.getHost().equals(b.getHost()) && a.getPort() == b.getPort();
	}

}
