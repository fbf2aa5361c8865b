package dev.cloudref.user.apidocs;

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
 * The OpenAPI document that springdoc generates from user-service's code at
 * {@code /v3/api-docs}: OpenAPI 3.1, every operation, the request body's Bean Validation
 * constraints, and problem-detail error responses, all as called through the gateway.
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
		String url = "jdbc:h2:file:" + dataDir + "/users;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1";
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
		assertThat(doc.path("info").path("title").asString()).isEqualTo("Users API");
		assertThat(doc.path("servers")).hasSize(1);
		assertThat(doc.path("servers").path(0).path("url").asString()).isEqualTo("/api");
		JsonNode apiKey = doc.path("components").path("securitySchemes").path("apiKey");
		assertThat(apiKey.path("type").asString()).isEqualTo("apiKey");
		assertThat(apiKey.path("in").asString()).isEqualTo("header");
		assertThat(apiKey.path("name").asString()).isEqualTo("X-API-Key");
		assertThat(doc.path("security").path(0).has("apiKey")).isTrue();
	}

	@Test
	void listsEveryOperationWithItsIdSummaryAndTag() {
		JsonNode paths = apiDocs().path("paths");

		assertThat(paths.propertyNames()).containsExactlyInAnyOrder("/users", "/users/{id}", "/users/{id}/orders");
		assertOperation(paths, "/users", "post", "createUser");
		assertOperation(paths, "/users", "get", "listUsers");
		assertOperation(paths, "/users/{id}", "get", "getUser");
		assertOperation(paths, "/users/{id}/orders", "get", "getUserWithOrders");
		assertThat(paths.path("/users").path("post").path("responses").path("201").path("headers").has("Location"))
			.isTrue();
	}

	@Test
	void carriesTheBeanValidationConstraintsOfTheRequestBody() {
		JsonNode doc = apiDocs();
		JsonNode body = doc.path("paths").path("/users").path("post").path("requestBody");
		assertThat(body.path("required").asBoolean()).isTrue();
		assertThat(body.path("content").path("application/json").path("schema").path("$ref").asString())
			.isEqualTo("#/components/schemas/CreateUserRequest");

		JsonNode request = doc.path("components").path("schemas").path("CreateUserRequest");
		assertThat(request.path("required").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder("name",
				"email");
		JsonNode email = request.path("properties").path("email");
		assertThat(email.path("format").asString()).isEqualTo("email");
		assertThat(email.path("maxLength").asInt()).isEqualTo(254);
		assertThat(request.path("properties").path("name").path("maxLength").asInt()).isEqualTo(100);
		assertThat(request.path("properties").path("name").path("pattern").asString()).isEqualTo("[^\\p{Cc}\\p{Cs}]*");
	}

	@Test
	void carriesTheConstraintsOfTheQueryParameters() {
		JsonNode parameters = apiDocs().path("paths").path("/users").path("get").path("parameters");

		JsonNode size = parameters.valueStream().filter(p -> p.path("name").asString().equals("size")).findFirst()
			.orElseThrow();
		assertThat(size.path("in").asString()).isEqualTo("query");
		assertThat(size.path("schema").path("minimum").asInt()).isEqualTo(1);
		assertThat(size.path("schema").path("maximum").asInt()).isEqualTo(100);
		assertThat(size.path("schema").path("default").asInt()).isEqualTo(20);
	}

	@Test
	void describesTheErrorsEachOperationAnswersAsProblemDetails() {
		JsonNode paths = apiDocs().path("paths");

		assertThat(statuses(paths, "/users", "post")).containsExactly("201", "400", "401", "409", "429", "503");
		assertThat(statuses(paths, "/users", "get")).containsExactly("200", "400", "401", "429", "503");
		assertThat(statuses(paths, "/users/{id}", "get")).containsExactly("200", "400", "401", "404", "429", "503");
		assertThat(statuses(paths, "/users/{id}/orders", "get")).containsExactly("200", "400", "401", "404", "429",
				"503");
		JsonNode notFound = paths.path("/users/{id}").path("get").path("responses").path("404");
		assertThat(notFound.path("description").asString()).isEqualTo("No user has this id");
		assertThat(notFound.path("content").path("application/problem+json").path("schema").path("$ref").asString())
			.isEqualTo("#/components/schemas/ProblemDetail");
		assertThat(paths.path("/users/{id}/orders").path("get").path("responses").path("503").path("headers").has(
				"Retry-After")).isTrue();
	}

	@Test
	void declaresEveryErrorResponseAsProblemJsonOnly() {
		JsonNode doc = apiDocs();

		doc.path("paths").forEach(path -> path.forEach(operation -> operation.path("responses").properties()
			.forEach(response -> {
				JsonNode content = response.getValue().path("content");
				if (response.getKey().startsWith("2")) {
					assertThat(content.propertyNames()).as(response.getKey()).containsExactly("application/json");
				}
				else {
					assertThat(content.propertyNames()).as(response.getKey())
						.containsExactly("application/problem+json");
				}
			})));
		JsonNode problem = doc.path("components").path("schemas").path("ProblemDetail");
		assertThat(problem.path("properties").propertyNames()).contains("type", "title", "status", "detail",
				"instance", "errors");
		assertThat(problem.path("additionalProperties").asBoolean()).isTrue();
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
		assertThat(operation.path("tags").valueStream().map(JsonNode::asString)).containsExactly("Users");
	}

	private static List<String> statuses(JsonNode paths, String path, String method) {
		return List.copyOf(paths.path(path).path(method).path("responses").propertyNames());
	}

}
