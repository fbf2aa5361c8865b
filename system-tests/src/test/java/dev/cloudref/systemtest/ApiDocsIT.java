package dev.cloudref.systemtest;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' OpenAPI documents as the gateway's Swagger UI fetches them: over HTTPS
 * from the gateway, without an API key, each listing its service's operations at paths
 * that, resolved against the document's URL and its server URL, are the gateway's
 * {@code /api/...} paths; and requests built from them get the documented answers.
 */
class ApiDocsIT {

	private static GatewayClient gateway;

	private static URI base;

	@BeforeAll
	static void system() {
		LocalSystem system = LocalSystem.get();
		gateway = system.gatewayClient();
		base = URI.create("https://localhost:" + system.gateway.appPort());
	}

	@Test
	void servesEachServicesDocumentThroughTheGatewayWithoutAKey() {
		for (String service : new String[] { "user-service", "order-service" }) {
			ApiResponse document = gateway.anonymous("GET", "/v3/api-docs/" + service);

			assertThat(document.status()).as(document.toString()).isEqualTo(200);
			assertThat(document.contentType()).startsWith("application/json");
			assertThat(document.json().path("openapi").asString()).as(service).startsWith("3.1.");
		}
	}

	@Test
	void listsTheUserOperationsAtTheGatewaysPaths() {
		Map<String, Set<String>> operations = gatewayOperations("user-service");

		assertThat(operations).containsOnlyKeys("/api/users", "/api/users/{id}", "/api/users/{id}/orders",
				"/api/users/{id}/stats");
		assertThat(operations.get("/api/users")).containsExactlyInAnyOrder("get", "post");
		assertThat(operations.get("/api/users/{id}")).containsExactly("get");
		assertThat(operations.get("/api/users/{id}/orders")).containsExactly("get");
		assertThat(operations.get("/api/users/{id}/stats")).containsExactly("get");
	}

	@Test
	void listsTheOrderOperationsAtTheGatewaysPaths() {
		Map<String, Set<String>> operations = gatewayOperations("order-service");

		assertThat(operations).containsOnlyKeys("/api/orders", "/api/orders/{id}");
		assertThat(operations.get("/api/orders")).containsExactlyInAnyOrder("get", "post");
		assertThat(operations.get("/api/orders/{id}")).containsExactly("get");
	}

	@Test
	void declaresTheApiKeyTheGatewayAsksFor() {
		for (String service : new String[] { "user-service", "order-service" }) {
			JsonNode document = document(service).json();

			JsonNode scheme = document.path("components").path("securitySchemes").path("apiKey");
			assertThat(scheme.path("in").asString()).isEqualTo("header");
			assertThat(scheme.path("name").asString()).isEqualTo(GatewayClient.API_KEY);
			assertThat(document.path("security").path(0).has("apiKey")).as(service).isTrue();
			assertThat(
					document.path("components").path("securitySchemes").path("bearerToken").path("scheme").asString())
				.as("%s bearer token scheme", service)
				.isEqualTo("bearer");
			assertThat(document.path("security").path(1).has("bearerToken")).as(service).isTrue();
			JsonNode flow = document.path("components")
				.path("securitySchemes")
				.path("oauth2")
				.path("flows")
				.path("authorizationCode");
			assertThat(flow.path("authorizationUrl").asString()).as(service).isEqualTo("/oauth2/authorize");
			assertThat(flow.path("scopes").has(service.replace("-service", "s") + ":read")).as(service).isTrue();
		}
	}

	@Test
	void answersARequestBuiltFromTheDocumentAsDocumented() {
		Document document = document("user-service");
		JsonNode users = document.json();
		String collection = document.gatewayPath("/users");
		JsonNode create = users.path("paths").path("/users").path("post");

		ApiResponse created = gateway.post(collection, "{\"name\":\"Docs\",\"email\":\"" + uniqueEmail() + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(create.path("responses").has("201")).isTrue();
		JsonNode userSchema = users.path("components").path("schemas").path("User").path("properties");
		assertThat(created.json().propertyNames()).containsExactlyInAnyOrderElementsOf(userSchema.propertyNames());

		String item = document.gatewayPath("/users/{id}").replace("{id}", UUID.randomUUID().toString());
		JsonNode get = users.path("paths").path("/users/{id}").path("get").path("responses");
		assertProblem(gateway.get(item), 404);
		assertThat(get.path("404").path("content").has("application/problem+json")).isTrue();
		ApiResponse withoutKey = gateway.anonymous("GET", item);
		assertProblem(withoutKey, 401);
		assertThat(get.has("401")).isTrue();
	}

	/**
	 * @return for each operation's path as a client calls it through the gateway, its
	 * methods
	 */
	private static Map<String, Set<String>> gatewayOperations(String service) {
		Document document = document(service);
		Map<String, Set<String>> operations = new TreeMap<>();
		document.json()
			.path("paths")
			.properties()
			.forEach(path -> operations.put(document.gatewayPath(path.getKey()),
					Set.copyOf(path.getValue().propertyNames())));
		return operations;
	}

	private static Document document(String service) {
		String path = "/v3/api-docs/" + service;
		ApiResponse response = gateway.anonymous("GET", path);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return new Document(base.resolve(path), response.json());
	}

	/**
	 * An OpenAPI document and the URL it was fetched from.
	 *
	 * @param url where the document was fetched from
	 * @param json the document
	 */
	private record Document(URI url, JsonNode json) {

		/**
		 * Resolves a path of the document as Swagger UI does: the document's (only)
		 * server URL against the URL of the document, then the path appended to it.
		 * @param path a key of the document's {@code paths}, e.g. {@code /users/{id}}
		 * @return the path on the gateway, e.g. {@code /api/users/{id}}
		 */
		String gatewayPath(String path) {
			assertThat(json.path("servers")).hasSize(1);
			URI server = url.resolve(json.path("servers").path(0).path("url").asString());
			assertThat(server.getAuthority()).as("server is the gateway itself").isEqualTo(url.getAuthority());
			return server.getPath() + path;
		}

	}

}
