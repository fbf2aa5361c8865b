package dev.cloudref.gateway.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class PreviousInstanceAvoidanceTest {

	static final ServiceInstance FIRST = new DefaultServiceInstance("users-1", "user-service", "127.0.0.1", 8081,
			false);

	static final ServiceInstance SECOND = new DefaultServiceInstance("users-2", "user-service", "127.0.0.1", 8082,
			false);

	@Test
	void offersEveryInstanceToAFirstAttempt() {
		assertThat(choices(List.of(FIRST, SECOND), new HashMap<>())).containsExactly(FIRST, SECOND);
	}

	@Test
	void leavesOutTheInstanceThePreviousAttemptWentTo() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR, new DefaultResponse(FIRST));

		assertThat(choices(List.of(FIRST, SECOND), attributes)).containsExactly(SECOND);
	}

	@Test
	void keepsThePreviousInstanceWhenItIsTheOnlyOne() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR, new DefaultResponse(FIRST));

		assertThat(choices(List.of(FIRST), attributes)).containsExactly(FIRST);
	}

	private static List<ServiceInstance> choices(List<ServiceInstance> instances, Map<String, Object> attributes) {
		ServiceInstanceListSupplier registry = new FixedInstances(instances);
		RequestData data = new RequestData(MockServerHttpRequest.get("/api/users/1").build(), attributes);
		return new PreviousInstanceAvoidance(registry).get(new DefaultRequest<>(new RequestDataContext(data)))
			.blockFirst(Duration.ofSeconds(5));
	}

	record FixedInstances(List<ServiceInstance> instances) implements ServiceInstanceListSupplier {

		@Override
		public String getServiceId() {
			return "user-service";
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.just(instances);
		}

	}

}
