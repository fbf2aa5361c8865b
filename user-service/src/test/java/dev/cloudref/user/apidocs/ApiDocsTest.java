package dev.cloudref.user.apidocs;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cloudref.testsupport.AbstractApiDocsTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document that springdoc generates from user-service's code at
 * {@code /v3/api-docs}: OpenAPI 3.1, every operation, the request body's Bean Validation
 * constraints, and problem-detail error responses, all as called through the gateway
 * (what every service's document says is checked by {@link AbstractApiDocsTest}).
 */
class ApiDocsTest extends AbstractApiDocsTest {

	ApiDocsTest() {
		super("Users API", "Users");
	}

	@Test
	void listsEveryOperationWithItsIdSummaryAndTag() {
		JsonNode paths = apiDocs().path("paths");

		assertThat(paths.propertyNames()).containsExactlyInAnyOrder("/users", "/users/{id}", "/users/{id}/orders",
				"/users/{id}/stats");
		assertOperation(paths, "/users", "post", "createUser");
		assertOperation(paths, "/users", "get", "listUsers");
		assertOperation(paths, "/users/{id}", "get", "getUser");
		assertOperation(paths, "/users/{id}/orders", "get", "getUserWithOrders");
		assertOperation(paths, "/users/{id}/stats", "get", "getUserOrderStats");
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

		JsonNode size = parameters.valueStream()
			.filter(p -> p.path("name").asString().equals("size"))
			.findFirst()
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
		assertThat(statuses(paths, "/users/{id}/stats", "get")).containsExactly("200", "400", "401", "404", "429",
				"503");
		assertThat(statuses(paths, "/users/{id}/orders", "get")).containsExactly("200", "400", "401", "404", "429",
				"503");
		JsonNode notFound = paths.path("/users/{id}").path("get").path("responses").path("404");
		assertThat(notFound.path("description").asString()).isEqualTo("No user has this id");
		assertThat(notFound.path("content").path("application/problem+json").path("schema").path("$ref").asString())
			.isEqualTo("#/components/schemas/ProblemDetail");
		assertThat(paths.path("/users/{id}/orders")
			.path("get")
			.path("responses")
			.path("503")
			.path("headers")
			.has("Retry-After")).isTrue();
	}

}
