package dev.cloudref.order.apidocs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document that springdoc generates from order-service's code at
 * {@code /v3/api-docs}: OpenAPI 3.1, every operation, the Bean Validation constraints of
 * the body and the {@code Idempotency-Key} header, and problem-detail error responses,
 * all as called through the gateway.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "cloudref.loadbalancer.health-check.enabled=false" })
@AutoConfigureWebTestClient
@DirtiesContext
class ApiDocsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("cloudref.data-dir", dataDir::toString);
	}

	@AfterAll
	static void closeDatabase() throws SQLException {
		String url = "jdbc:h2:file:" + dataDir + "/orders;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1";
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
	}

	@Autowired
	WebTestClient client;

	@Test
	void isAnOpenApi31DocumentOfTheApiBehindTheGateway() {
		JsonNode doc = apiDocs();

		assertThat(doc.path("openapi").asString()).startsWith("3.1.");
		assertThat(doc.path("info").path("title").asString()).isEqualTo("Orders API");
		assertThat(doc.path("servers").path(0).path("url").asString()).isEqualTo("/api");
		assertThat(doc.path("components").path("securitySchemes").path("apiKey").path("name").asString())
			.isEqualTo("X-API-Key");
		assertThat(doc.path("security").path(0).has("apiKey")).isTrue();
	}

	@Test
	void listsEveryOperationWithItsIdSummaryAndTag() {
		JsonNode paths = apiDocs().path("paths");

		assertThat(paths.propertyNames()).containsExactlyInAnyOrder("/orders", "/orders/{id}");
		assertOperation(paths, "/orders", "post", "placeOrder");
		assertOperation(paths, "/orders", "get", "listOrdersOfUser");
		assertOperation(paths, "/orders/{id}", "get", "getOrder");
		assertThat(paths.path("/orders").path("post").path("responses").path("201").path("headers").propertyNames())
			.containsExactlyInAnyOrder("Location", "Idempotent-Replayed");
	}

	@Test
	void carriesTheBeanValidationConstraintsOfBodyAndHeader() {
		JsonNode doc = apiDocs();

		JsonNode request = doc.path("components").path("schemas").path("CreateOrderRequest");
		assertThat(request.path("required").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("userId", "sku", "quantity");
		JsonNode properties = request.path("properties");
		assertThat(properties.path("userId").path("format").asString()).isEqualTo("uuid");
		assertThat(properties.path("sku").path("pattern").asString()).isEqualTo("[A-Za-z0-9._-]{1,64}");
		assertThat(properties.path("quantity").path("minimum").asInt()).isEqualTo(1);
		assertThat(properties.path("quantity").path("maximum").asInt()).isEqualTo(1000);

		JsonNode key = parameter(doc.path("paths").path("/orders").path("post"), "Idempotency-Key");
		assertThat(key.path("in").asString()).isEqualTo("header");
		assertThat(key.path("required").asBoolean()).isFalse();
		assertThat(key.path("schema").path("pattern").asString()).isEqualTo("[\\x21-\\x7E]{1,255}");

		JsonNode userId = parameter(doc.path("paths").path("/orders").path("get"), "userId");
		assertThat(userId.path("required").asBoolean()).isTrue();
		assertThat(userId.path("schema").path("format").asString()).isEqualTo("uuid");
	}

	@Test
	void describesTheErrorsEachOperationAnswersAsProblemDetails() {
		JsonNode paths = apiDocs().path("paths");

		assertThat(statuses(paths, "/orders", "post")).containsExactly("201", "400", "401", "409", "422", "429", "503");
		assertThat(statuses(paths, "/orders", "get")).containsExactly("200", "400", "401", "429", "503");
		assertThat(statuses(paths, "/orders/{id}", "get")).containsExactly("200", "400", "401", "404", "429", "503");
		JsonNode post = paths.path("/orders").path("post").path("responses");
		assertThat(post.path("422").path("content").path("application/problem+json").path("schema").path("$ref")
			.asString()).isEqualTo("#/components/schemas/ProblemDetail");
		assertThat(post.path("409").path("headers").has("Retry-After")).isTrue();
		assertThat(post.path("503").path("headers").has("Retry-After")).isTrue();
	}

	@Test
	void declaresEveryErrorResponseAsProblemJsonOnly() {
		JsonNode doc = apiDocs();

		doc.path("paths").forEach(path -> path.forEach(operation -> operation.path("responses").properties()
			.forEach(response -> {
				String expected = response.getKey().startsWith("2") ? "application/json" : "application/problem+json";
				assertThat(response.getValue().path("content").propertyNames()).as(response.getKey())
					.containsExactly(expected);
			})));
		assertThat(doc.path("components").path("schemas").path("ProblemDetail").path("properties").propertyNames())
			.contains("type", "title", "status", "detail", "instance");
	}

	private JsonNode apiDocs() {
		String body = client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JSON.readTree(body);
	}

	private static void assertOperation(JsonNode paths, String path, String method, String operationId) {
		JsonNode operation = paths.path(path).path(method);
		assertThat(operation.path("operationId").asString()).as(method + " " + path).isEqualTo(operationId);
		assertThat(operation.path("summary").asString()).as(method + " " + path).isNotBlank();
		assertThat(operation.path("tags").valueStream().map(JsonNode::asString)).containsExactly("Orders");
	}

	private static JsonNode parameter(JsonNode operation, String name) {
		return operation.path("parameters")
			.valueStream()
			.filter(parameter -> parameter.path("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no parameter " + name));
	}

	private static List<String> statuses(JsonNode paths, String path, String method) {
		return List.copyOf(paths.path(path).path(method).path("responses").propertyNames());
	}

}
