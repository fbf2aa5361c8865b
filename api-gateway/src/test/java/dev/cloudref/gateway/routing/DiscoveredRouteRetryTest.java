package dev.cloudref.gateway.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.GatewayTestClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route made by the discovery locator (a service registered with the metadata entry
 * {@code public-path}) retries like the explicit routes' GET/HEAD: after a {@code 502}
 * (three retries), never after another 5xx, and never a POST. Before, its Retry filter
 * had Spring's defaults and repeated a GET after any 5xx, e.g. a {@code 500} from a
 * request that had failed in the service.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "eureka.client.enabled=false",
		"management.server.port=0", "gateway.api-keys=test:" + OrderRouteRetryTest.KEY_SHA256,
		"cloudref.loadbalancer.health-check.enabled=false", "cloudref.loadbalancer.outlier-detection.enabled=false" })
@DirtiesContext
class DiscoveredRouteRetryTest {

	@TempDir
	static Path tlsDir;

	static final MockWebServer itemsService = new MockWebServer();

	/** Paths of the requests the service received, in order. */
	static final List<String> received = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		itemsService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String path = request.getTarget();
				received.add(request.getMethod() + " " + path);
				// /items/status/NNN answers NNN.
				int status = path.startsWith("/items/status/") ? Integer.parseInt(path.substring(14)) : 200;
				return new MockResponse.Builder().code(status).body("{}").build();
			}
		});
		itemsService.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.items-service[0].uri",
				() -> "http://127.0.0.1:" + itemsService.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.items-service[0].metadata.public-path",
				() -> "/items");
	}

	@AfterAll
	static void stopServer() {
		itemsService.close();
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() throws Exception {
		client = GatewayTestClient.https(tlsDir, port);
		// The route exists once the locator has seen the instance.
		assertThat(exchange(HttpMethod.GET, "/api/items/status/200")).isEqualTo(200);
		received.clear();
	}

	@Test
	void retriesAGetAfterA502ThreeTimes() {
		assertThat(exchange(HttpMethod.GET, "/api/items/status/502")).isEqualTo(502);

		assertThat(received).containsExactly("GET /items/status/502", "GET /items/status/502", "GET /items/status/502",
				"GET /items/status/502");
	}

	@Test
	void doesNotRepeatAGetThatFailedInTheService() {
		assertThat(exchange(HttpMethod.GET, "/api/items/status/500")).isEqualTo(500);
		assertThat(exchange(HttpMethod.GET, "/api/items/status/503")).isEqualTo(503);

		assertThat(received).containsExactly("GET /items/status/500", "GET /items/status/503");
	}

	@Test
	void neverRepeatsAPost() {
		assertThat(exchange(HttpMethod.POST, "/api/items/status/502")).isEqualTo(502);

		assertThat(received).containsExactly("POST /items/status/502");
	}

	private int exchange(HttpMethod method, String path) {
		WebTestClient.RequestBodySpec request = client.method(method)
			.uri(path)
			.header("X-API-Key", OrderRouteRetryTest.KEY);
		WebTestClient.RequestHeadersSpec<?> complete = (method == HttpMethod.POST)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}") : request;
		return complete.exchange().returnResult(String.class).getStatus().value();
	}

}
