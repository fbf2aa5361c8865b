package dev.cloudref.order.apidocs;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cloudref.testsupport.AbstractApiDocsTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document that springdoc generates from order-service's code at
 * {@code /v3/api-docs}: OpenAPI 3.1, every operation, the Bean Validation constraints of
 * the body and the {@code Idempotency-Key} header, and problem-detail error responses,
 * all as called through the gateway (what every service's document says is checked by
 * {@link AbstractApiDocsTest}).
 */
class ApiDocsTest extends AbstractApiDocsTest {

	ApiDocsTest() {
		super("Orders API", "Orders");
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
		assertThat(request.path("required").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder("userId",
				"sku", "quantity");
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
		assertThat(post.path("422")
			.path("content")
			.path("application/problem+json")
			.path("schema")
			.path("$ref")
			.asString()).isEqualTo("#/components/schemas/ProblemDetail");
		assertThat(post.path("409").path("headers").has("Retry-After")).isTrue();
		assertThat(post.path("503").path("headers").has("Retry-After")).isTrue();
	}

}
