package dev.cloudref.systemtest;

import java.util.ArrayList;
import java.util.List;
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

	/**
	 * @return every order of the user, oldest first, read page by page (100 per page)
	 * from {@code GET /api/orders?userId=}
	 */
	static List<JsonNode> ordersOf(GatewayClient gateway, String userId) {
		List<JsonNode> orders = new ArrayList<>();
		for (int page = 0;; page++) {
			ApiResponse listed = gateway.get("/api/orders?userId=" + userId + "&size=100&page=" + page);
			assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
			listed.json().path("content").forEach(orders::add);
			if (page + 1 >= listed.json().path("totalPages").asInt()) {
				assertThat(orders).hasSize(listed.json().path("totalElements").asInt());
				return orders;
			}
		}
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
