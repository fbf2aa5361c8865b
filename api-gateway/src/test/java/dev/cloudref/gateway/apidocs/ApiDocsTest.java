package dev.cloudref.gateway.apidocs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

import dev.cloudref.gateway.tls.SelfSignedCertificate;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

/**
 * The gateway's Swagger UI and its routes to the services' OpenAPI documents, over HTTPS,
 * with user-service and order-service played by {@link MockWebServer}s found through
 * Spring Cloud's simple discovery client: UI and documents are public and read-only,
 * {@code /api/**} still needs a key. A third service, inventory-service, has no route of
 * its own in the configuration: it registers with the metadata entry {@code public-path},
 * like services made from service-archetype, and gets its API route from the discovery
 * locator and its document route and Swagger UI entry from {@link DiscoveredApiDocs}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				// sha256("docs-test-key")
				"gateway.api-keys=test:08459982e467a22133b8f6a78c88478d62c401b28925ae68c789c2d948042bc4",
				"cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
class ApiDocsTest {

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	static final MockWebServer orderService = new MockWebServer();

	static final MockWebServer inventoryService = new MockWebServer();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.setDispatcher(new ApiDocs("Users API"));
		orderService.setDispatcher(new ApiDocs("Orders API"));
		inventoryService.setDispatcher(new ApiDocs("Items API"));
		userService.start();
		orderService.start();
		inventoryService.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri",
				() -> "http://localhost:" + userService.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri",
				() -> "http://localhost:" + orderService.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri",
				() -> "http://localhost:" + inventoryService.getPort());
		registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].metadata.public-path",
				() -> "/items");
	}

	@AfterAll
	static void stopServices() {
		userService.close();
		orderService.close();
		inventoryService.close();
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() throws Exception {
		for (MockWebServer service : new MockWebServer[] { userService, orderService, inventoryService }) {
			while (service.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
				// drop requests recorded by earlier tests
			}
		}
		SslContext ssl = SslContextBuilder.forClient()
			.trustManager(tlsDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE).toFile())
			.build();
		client = WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create().secure(spec -> spec.sslContext(ssl))))
			.baseUrl("https://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	@Test
	void servesEachServicesDocumentFromTheServiceWithoutAKey() throws InterruptedException {
		expectDocument("/v3/api-docs/user-service", "Users API");
		expectDocument("/v3/api-docs/order-service", "Orders API");

		assertThat(userService.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v3/api-docs");
		assertThat(orderService.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v3/api-docs");
	}

	@Test
	void servesTheDocumentOfAServiceThatRegisteredWithAPublicPath() throws InterruptedException {
		expectDocument("/v3/api-docs/inventory-service", "Items API");

		assertThat(inventoryService.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v3/api-docs");
	}

	@Test
	void routesTheApiOfAServiceThatRegisteredWithAPublicPath() throws InterruptedException {
		client.get()
			.uri("/api/items?ownerId=42")
			.header("X-API-Key", "docs-test-key")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("[]");
		assertThat(inventoryService.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/items?ownerId=42");

		client.get().uri("/api/items").exchange().expectStatus().isUnauthorized();
		assertThat(inventoryService.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void listsEveryServicesDocumentInTheSwaggerUiConfiguration() {
		client.get()
			.uri("/v3/api-docs/swagger-config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.urls[*].name")
			.value(containsInAnyOrder("user-service", "order-service", "inventory-service"))
			.jsonPath("$.urls[*].url")
			.value(containsInAnyOrder("/v3/api-docs/user-service", "/v3/api-docs/order-service",
					"/v3/api-docs/inventory-service"))
			.jsonPath("$['urls.primaryName']")
			.isEqualTo("user-service")
			.jsonPath("$.validatorUrl")
			.isEqualTo("none");
	}

	@Test
	void servesTheSwaggerUiWithoutAKey() {
		String location = client.get()
			.uri("/swagger-ui.html")
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		assertThat(location).endsWith("/swagger-ui/index.html");

		client.get()
			.uri(location)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("swagger-ui"));
		client.get()
			.uri("/swagger-ui/swagger-initializer.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(script -> assertThat(script).contains("/v3/api-docs/swagger-config"));
	}

	@Test
	void keepsTheDocumentRoutesReadOnly() {
		int requestsBefore = userService.getRequestCount();

		client.post()
			.uri("/v3/api-docs/user-service")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);

		assertThat(userService.getRequestCount()).isEqualTo(requestsBefore);
	}

	@Test
	void hasNoDocumentOfItsOwn() {
		client.get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
	}

	@Test
	void stillRequiresAKeyForTheApi() {
		int requestsBefore = userService.getRequestCount();

		client.get()
			.uri("/api/users")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);

		assertThat(userService.getRequestCount()).isEqualTo(requestsBefore);
	}

	private void expectDocument(String path, String title) {
		client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.openapi")
			.isEqualTo("3.1.0")
			.jsonPath("$.info.title")
			.isEqualTo(title);
	}

	/**
	 * A service instance that answers its OpenAPI document, and an empty list at /items.
	 */
	private static final class ApiDocs extends Dispatcher {

		private final String title;

		ApiDocs(String title) {
			this.title = title;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			if ("GET".equals(request.getMethod()) && "/v3/api-docs".equals(request.getTarget())) {
				return new MockResponse.Builder().code(200)
					.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
					.body("{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"" + title + "\",\"version\":\"v1\"}}")
					.build();
			}
			if ("GET".equals(request.getMethod()) && request.getTarget().startsWith("/items")) {
				return new MockResponse.Builder().code(200)
					.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
					.body("[]")
					.build();
			}
			return new MockResponse.Builder().code(404).build();
		}

	}

}
