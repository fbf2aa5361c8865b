package dev.cloudref.systemtest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a 4xx problem detail, never a 500 or a stack trace, and stores nothing.
 */
class BadInputIT {

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		gateway = LocalSystem.get().gatewayClient();
	}

	@Test
	void rejectsMalformedJson() {
		assertProblem(gateway.post("/api/users", "{\"name\":"), 400);
		assertProblem(gateway.post("/api/orders", "[1,2"), 400);
		assertProblem(gateway.post("/api/users", ""), 400);
	}

	@Test
	void rejectsValuesOfTheWrongType() {
		assertProblem(gateway.post("/api/users", "{\"name\":[1],\"email\":{}}"), 400);
		assertProblem(gateway.post("/api/orders", "{\"userId\":\"x\",\"sku\":\"A\",\"quantity\":\"many\"}"), 400);
		assertProblem(gateway.post("/api/orders",
				"{\"userId\":\"00000000-0000-0000-0000-000000000000\",\"sku\":\"A\",\"quantity\":99999999999999999999}"),
				400);
	}

	@Test
	void rejectsBadUuidsInPaths() {
		assertProblem(gateway.get("/api/users/not-a-uuid"), 400);
		assertProblem(gateway.get("/api/orders/1234"), 400);
		assertProblem(gateway.get("/api/users/' OR 1=1 --/orders".replace(" ", "%20").replace("'", "%27")), 400);
	}

	@Test
	void rejectsUnsupportedMediaTypeAndMethod() {
		ApiResponse xml = gateway.post("/api/users", "<user/>", "Content-Type", "application/xml");
		assertThat(xml.status()).isIn(400, 415);
		assertThat(xml.contentType()).startsWith("application/problem+json");
		assertProblem(gateway.anonymous("DELETE", "/api/users/00000000-0000-0000-0000-000000000000",
				GatewayClient.API_KEY, apiKey()), 405);
	}

	@Test
	void storesInjectionPayloadsAsPlainText() {
		String name = "Robert'); DROP TABLE users;-- <script>alert(1)</script>";
		ApiResponse created = gateway.post("/api/users",
				"{\"name\":\"" + name.replace("\"", "\\\"") + "\",\"email\":\"" + uniqueEmail() + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(gateway.get(created.header("Location")).json().path("name").asString()).isEqualTo(name);
		assertThat(gateway.get("/api/users?size=1").status()).isEqualTo(200);
	}

	@Test
	void refusesOverlongIdempotencyKey() {
		ApiResponse response = Fixtures.placeOrder(gateway, "00000000-0000-0000-0000-000000000000", "A", 1,
				"Idempotency-Key", "k".repeat(300));
		assertProblem(response, 400);
	}

	private static String apiKey() {
		return LocalSystem.get().apiKey;
	}

}
