package dev.cloudref.gateway.routing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.GatewayTestClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders routes' retry rules against two health-checked order-service instances (mock
 * servers that answer their readiness probe and fail every order with 502): a POST with
 * an {@code Idempotency-Key} is retried, alternating between the instances; a POST
 * without one is sent once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				// sha256("retry-test-key")
				"gateway.api-keys=test:" + OrderRouteRetryTest.KEY_SHA256,
				"spring.cloud.loadbalancer.health-check.interval=200ms",
				// Generous probe timeouts: on a busy machine a slow probe would take an
				// instance out of rotation and leave a retry nowhere else to go.
				"cloudref.loadbalancer.health-check.connect-timeout=2s",
				"cloudref.loadbalancer.health-check.response-timeout=5s",
				// Every order fails with 502 on both instances: outlier detection would
				// eject one of them, and this test is about the Retry filter's choice
				// between two.
				"cloudref.loadbalancer.outlier-detection.enabled=false" })
@DirtiesContext
class OrderRouteRetryTest {

	static final String KEY = "retry-test-key";

	static final String KEY_SHA256 = "b7fbde5f30a147154cc3ddaa3af5720b843bbd6d55c4d11cea0d142052476283";

	static final String ORDER = "{\"userId\":\"00000000-0000-0000-0000-000000000001\",\"sku\":\"A-1\",\"quantity\":1}";

	@TempDir
	static Path tlsDir;

	static final MockWebServer first = new MockWebServer();

	static final MockWebServer second = new MockWebServer();

	/** Ports of the instances that received an order, in order of arrival. */
	static final List<Integer> orderAttempts = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		first.setDispatcher(new FailingOrders(() -> first.getPort()));
		second.setDispatcher(new FailingOrders(() -> second.getPort()));
		first.start();
		second.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri",
				() -> "http://127.0.0.1:" + first.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[1].uri",
				() -> "http://127.0.0.1:" + second.getPort());
	}

	@AfterAll
	static void stopServers() {
		first.close();
		second.close();
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() throws Exception {
		client = GatewayTestClient.https(tlsDir, port);
		// Wait until both instances passed a health check, then forget those attempts.
		Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			orderAttempts.clear();
			post("probe-" + System.nanoTime());
			return orderAttempts.containsAll(List.of(first.getPort(), second.getPort()));
		});
		orderAttempts.clear();
	}

	@Test
	void retriesAPostWithAnIdempotencyKeyOnTheOtherInstance() {
		post("key-1");

		assertThat(orderAttempts).as("first attempt and three retries").hasSize(4);
		for (int i = 1; i < orderAttempts.size(); i++) {
			assertThat(orderAttempts.get(i)).as("attempt %d avoids the instance of attempt %d", i + 1, i)
				.isNotEqualTo(orderAttempts.get(i - 1));
		}
	}

	@Test
	void sendsAPostWithoutAnIdempotencyKeyOnce() {
		post(null);

		assertThat(orderAttempts).hasSize(1);
	}

	private void post(String idempotencyKey) {
		client.post().uri("/api/orders").header("X-API-Key", KEY).headers(headers -> {
			if (idempotencyKey != null) {
				headers.set("Idempotency-Key", idempotencyKey);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(ORDER).exchange().expectStatus().isEqualTo(502);
	}

	/** Ready, but every order fails with 502. */
	static final class FailingOrders extends Dispatcher {

		private final java.util.function.IntSupplier port;

		FailingOrders(java.util.function.IntSupplier port) {
			this.port = port;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			if ("/readyz".equals(request.getTarget())) {
				return new MockResponse.Builder().code(200).build();
			}
			orderAttempts.add(port.getAsInt());
			return new MockResponse.Builder().code(502).build();
		}

	}

}
