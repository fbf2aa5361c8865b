package dev.cloudref.systemtest;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Test data created through the public API. */
final class Fixtures {

	private Fixtures() {
	}

	static String uniqueEmail() {
		return "user-" + UUID.randomUUID() + "@example.com";
	}

	static JsonNode createUser(GatewayClient gateway) {
		ApiResponse created = gateway.post("/api/users",
				"{\"name\":\"Test User\",\"email\":\"" + uniqueEmail() + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	static ApiResponse placeOrder(GatewayClient gateway, String userId, String sku, int quantity, String... headers) {
		return gateway.post("/api/orders",
				"{\"userId\":\"" + userId + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}", headers);
	}

	static void assertProblem(ApiResponse response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("title").asString()).isNotBlank();
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
	}

}
