package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real LoadBalancer stack with two instances of service "things" (simple discovery
 * client): only instances whose readiness probe answers 200 are chosen, a LoadBalancer
 * retry goes to another instance than the failed attempt, and one that stops answering
 * leaves rotation within a few probe intervals; when none is ready, both are chosen
 * (panic threshold).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.cloud.loadbalancer.health-check.path.default=/readyz",
				"spring.cloud.loadbalancer.health-check.interval=200ms", "eureka.client.enabled=false" })
class HealthCheckedInstancesTest {

	static final MockWebServer ready = new MockWebServer();

	static final MockWebServer notReady = new MockWebServer();

	static volatile int notReadyStatus = 503;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) throws Exception {
		ready.setDispatcher(probeAnswering(() -> 200));
		notReady.setDispatcher(probeAnswering(() -> notReadyStatus));
		ready.start();
		notReady.start();
		registry.add("spring.cloud.discovery.client.simple.instances.things[0].uri",
				() -> "http://127.0.0.1:" + ready.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.things[1].uri",
				() -> "http://127.0.0.1:" + notReady.getPort());
	}

	@AfterAll
	static void stopServers() {
		ready.close();
		notReady.close();
	}

	@Autowired
	ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers;

	@Test
	void choosesOnlyReadyInstancesAndDropsOneThatStopsAnswering() {
		// Until a probe round has an answer from the ready instance, none counts as ready
		// and both are chosen (panic threshold); then only the ready one, round after
		// round.
		Awaitility.await("first answered probe round")
			.atMost(Duration.ofSeconds(10))
			.until(() -> chosenPorts().equals(Set.of(ready.getPort())));
		assertThat(chosenPorts()).containsExactly(ready.getPort());

		notReadyStatus = 200;
		Awaitility.await("the second instance is ready")
			.atMost(Duration.ofSeconds(10))
			.until(() -> chosenPorts().equals(Set.of(ready.getPort(), notReady.getPort())));
		assertThat(retryPortsAfterFailureOn(ready.getPort())).as("a retry avoids the instance that failed")
			.containsExactly(notReady.getPort());
		assertThat(retryPortsAfterFailureOn(notReady.getPort())).as("a retry avoids the instance that failed")
			.containsExactly(ready.getPort());

		ready.close();
		long stopped = System.nanoTime();
		Awaitility.await("the stopped instance leaves rotation")
			.atMost(Duration.ofSeconds(10))
			.until(() -> chosenPorts().equals(Set.of(notReady.getPort())));
		assertThat(Duration.ofNanos(System.nanoTime() - stopped))
			.as("gone within a few probe intervals, not a registry lease")
			.isLessThan(Duration.ofSeconds(5));

		notReadyStatus = 503;
		Awaitility.await("no instance ready: below the panic threshold, every registry instance is chosen")
			.atMost(Duration.ofSeconds(10))
			.until(() -> chosenPorts().equals(Set.of(ready.getPort(), notReady.getPort())));
	}

	private Set<Integer> chosenPorts() {
		ReactiveLoadBalancer<ServiceInstance> loadBalancer = loadBalancers.getInstance("things");
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 8; i++) {
			Response<ServiceInstance> response = Mono.from(loadBalancer.choose()).block(Duration.ofSeconds(5));
			if (response != null && response.hasServer()) {
				ports.add(response.getServer().getPort());
			}
		}
		return ports;
	}

	/**
	 * Ports chosen by eight LoadBalancer retries whose previous attempt went to
	 * {@code port}.
	 */
	private Set<Integer> retryPortsAfterFailureOn(int port) {
		ReactiveLoadBalancer<ServiceInstance> loadBalancer = loadBalancers.getInstance("things");
		ServiceInstance failed = Flux.range(0, 8)
			.concatMap(i -> Mono.from(loadBalancer.choose()))
			.filter(response -> response.hasServer() && response.getServer().getPort() == port)
			.map(Response::getServer)
			.blockFirst(Duration.ofSeconds(5));
		assertThat(failed).as("instance on port %d", port).isNotNull();
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 8; i++) {
			Request<RetryableRequestContext> retry = new DefaultRequest<>(
					new RetryableRequestContext(failed, null, null));
			Response<ServiceInstance> response = Mono.from(loadBalancer.choose(retry)).block(Duration.ofSeconds(5));
			if (response != null && response.hasServer()) {
				ports.add(response.getServer().getPort());
			}
		}
		return ports;
	}

	private static Dispatcher probeAnswering(java.util.function.IntSupplier status) {
		return new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(request.getTarget().equals("/readyz") ? status.getAsInt() : 404)
					.build();
			}
		};
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
