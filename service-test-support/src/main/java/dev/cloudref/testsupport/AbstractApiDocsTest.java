package dev.cloudref.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of a service's test of its springdoc OpenAPI document: checks what every document
 * must say (OpenAPI 3.1, the gateway's {@code /api} server and {@code X-API-Key} scheme,
 * problem-detail errors); the subclass checks its own operations.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "cloudref.loadbalancer.health-check.enabled=false" })
@AutoConfigureWebTestClient
@DirtiesContext
public abstract class AbstractApiDocsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.withoutDependencies();

	private final String title;

	private final String tag;

	@Autowired
	WebTestClient client;

	/**
	 * @param title the document's expected {@code info.title}, e.g. {@code Orders API}
	 * @param tag the expected tag of every operation, e.g. {@code Orders}
	 */
	protected AbstractApiDocsTest(String title, String tag) {
		this.title = title;
		this.tag = tag;
	}

	@Test
	void isAnOpenApi31DocumentOfTheApiBehindTheGateway() {
		JsonNode doc = apiDocs();

		assertThat(doc.path("openapi").asString()).startsWith("3.1.");
		assertThat(doc.path("info").path("title").asString()).isEqualTo(title);
		assertThat(doc.path("servers")).hasSize(1);
		assertThat(doc.path("servers").path(0).path("url").asString()).isEqualTo("/api");
		JsonNode apiKey = doc.path("components").path("securitySchemes").path("apiKey");
		assertThat(apiKey.path("type").asString()).isEqualTo("apiKey");
		assertThat(apiKey.path("in").asString()).isEqualTo("header");
		assertThat(apiKey.path("name").asString()).isEqualTo("X-API-Key");
		assertThat(doc.path("security").path(0).has("apiKey")).isTrue();
		// Or a bearer token: the second, alternative requirement.
		JsonNode bearer = doc.path("components").path("securitySchemes").path("bearerToken");
		assertThat(bearer.path("type").asString()).isEqualTo("http");
		assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
		assertThat(bearer.path("bearerFormat").asString()).isEqualTo("JWT");
		assertThat(doc.path("security").path(1).has("bearerToken")).isTrue();
		// Or a person's login: the authorization code grant through the gateway, with the
		// scopes this service's requests need.
		JsonNode oauth2 = doc.path("components").path("securitySchemes").path("oauth2");
		assertThat(oauth2.path("type").asString()).isEqualTo("oauth2");
		JsonNode flow = oauth2.path("flows").path("authorizationCode");
		assertThat(flow.path("authorizationUrl").asString()).isEqualTo("/oauth2/authorize");
		assertThat(flow.path("tokenUrl").asString()).isEqualTo("/oauth2/token");
		List<String> scopes = new ArrayList<>();
		flow.path("scopes").propertyNames().forEach(scopes::add);
		List<String> required = new ArrayList<>();
		doc.path("security").path(2).path("oauth2").forEach(scope -> required.add(scope.asString()));
		assertThat(required).isEqualTo(scopes);
	}

	@Test
	void declaresEveryErrorResponseAsProblemJsonOnly() {
		JsonNode doc = apiDocs();

		doc.path("paths")
			.forEach(path -> path.forEach(operation -> operation.path("responses").properties().forEach(response -> {
				String expected = response.getKey().startsWith("2") ? "application/json" : "application/problem+json";
				assertThat(response.getValue().path("content").propertyNames()).as(response.getKey())
					.containsExactly(expected);
			})));
		JsonNode problem = doc.path("components").path("schemas").path("ProblemDetail");
		assertThat(problem.path("properties").propertyNames()).contains("type", "title", "status", "detail", "instance",
				"errors");
		assertThat(problem.path("additionalProperties").asBoolean()).isTrue();
	}

	/**
	 * @return the document, fetched from {@code /v3/api-docs}
	 */
	protected JsonNode apiDocs() {
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

	/**
	 * Asserts that an operation exists with its id, a summary and the service's tag.
	 * @param paths the document's {@code paths}
	 * @param path e.g. {@code /orders/{id}}
	 * @param method lower case, e.g. {@code get}
	 * @param operationId the expected {@code operationId}
	 */
	protected void assertOperation(JsonNode paths, String path, String method, String operationId) {
		JsonNode operation = paths.path(path).path(method);
		assertThat(operation.path("operationId").asString()).as(method + " " + path).isEqualTo(operationId);
		assertThat(operation.path("summary").asString()).as(method + " " + path).isNotBlank();
		assertThat(operation.path("tags").valueStream().map(JsonNode::asString)).containsExactly(tag);
	}

	/**
	 * @param operation an operation of the document
	 * @param name a parameter's name
	 * @return the parameter; fails the test if the operation has none of that name
	 */
	protected static JsonNode parameter(JsonNode operation, String name) {
		return operation.path("parameters")
			.valueStream()
			.filter(parameter -> parameter.path("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no parameter " + name));
	}

	/**
	 * @param paths the document's {@code paths}
	 * @param path e.g. {@code /orders}
	 * @param method lower case, e.g. {@code post}
	 * @return the operation's response status codes, in document order
	 */
	protected static List<String> statuses(JsonNode paths, String path, String method) {
		return List.copyOf(paths.path(path).path(method).path("responses").propertyNames());
	}

}
