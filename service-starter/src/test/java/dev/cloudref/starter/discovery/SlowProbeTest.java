package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy instance is not a dead one: an instance that was ready and whose readiness
 * probes are then answered later than the probe's response timeout stays in rotation,
 * round after round, while an instance that answers 503 does not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.cloud.loadbalancer.health-check.path.default=/readyz",
				"spring.cloud.loadbalancer.health-check.interval=300ms",
				"cloudref.loadbalancer.health-check.response-timeout=100ms",
				"spring.cloud.loadbalancer.eager-load.clients=things", "eureka.client.enabled=false" })
class SlowProbeTest {

	static final MockWebServer slow = new MockWebServer();

	static final MockWebServer notReady = new MockWebServer();

	static final AtomicInteger slowProbes = new AtomicInteger();

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) throws Exception {
		slow.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				// Ready at first, then busy: answers come later than the probe's timeout.
				MockResponse.Builder answer = new MockResponse.Builder().code(200);
				return (slowProbes.incrementAndGet() <= 2) ? answer.build()
						: answer.headersDelay(2, TimeUnit.SECONDS).build();
			}
		});
		notReady.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(503).build();
			}
		});
		slow.start();
		notReady.start();
		registry.add("spring.cloud.discovery.client.simple.instances.things[0].uri",
				() -> "http://127.0.0.1:" + slow.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.things[1].uri",
				() -> "http://127.0.0.1:" + notReady.getPort());
	}

	@AfterAll
	static void stopServers() {
		slow.close();
		notReady.close();
	}

	@Autowired
	ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers;

	@Test
	void anInstanceWhoseProbeIsAnsweredLateStaysInRotation() {
		Awaitility.await("first probe rounds")
			.atMost(Duration.ofSeconds(10))
			.until(() -> slowProbes.get() >= 5 && notReady.getRequestCount() >= 3);
		for (int round = 0; round < 5; round++) {
			assertThat(chosenPorts()).as("round %d", round).containsExactly(slow.getPort());
			Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
		}
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
