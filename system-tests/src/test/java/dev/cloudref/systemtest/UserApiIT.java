package dev.cloudref.systemtest;

import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static dev.cloudref.systemtest.Fixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** The users part of the HTTP contract, through the gateway. */
class UserApiIT {

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		gateway = LocalSystem.get().gatewayClient();
	}

	@Test
	void createsUserWithLocationOfTheGatewayPath() {
		String email = uniqueEmail();
		ApiResponse created = gateway.post("/api/users", "{\"name\":\"Ada Lovelace\",\"email\":\"" + email + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode user = created.json();
		assertThat(user.path("name").asString()).isEqualTo("Ada Lovelace");
		assertThat(user.path("email").asString()).isEqualTo(email);
		assertThat(user.path("id").asString()).matches("[0-9a-f-]{36}");
		assertThat(Instant.parse(user.path("createdAt").asString())).isBefore(Instant.now().plusSeconds(5));
		assertThat(created.header("Location")).isEqualTo("/api/users/" + user.path("id").asString());

		ApiResponse fetched = gateway.get(created.header("Location"));
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.json()).isEqualTo(user);
	}

	@Test
	void refusesSecondUserWithSameEmailIgnoringCase() {
		String email = uniqueEmail();
		assertThat(gateway.post("/api/users", "{\"name\":\"A\",\"email\":\"" + email + "\"}").status()).isEqualTo(201);

		ApiResponse duplicate = gateway.post("/api/users",
				"{\"name\":\"B\",\"email\":\"" + email.toUpperCase(java.util.Locale.ROOT) + "\"}");

		assertProblem(duplicate, 409);
	}

	@Test
	void rejectsInvalidUserWithFieldErrors() {
		ApiResponse invalid = gateway.post("/api/users", "{\"name\":\"\",\"email\":\"not-an-email\"}");

		assertProblem(invalid, 400);
		assertThat(invalid.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("name",
				"email");
	}

	@Test
	void answersNotFoundForUnknownUser() {
		assertProblem(gateway.get("/api/users/00000000-0000-0000-0000-000000000000"), 404);
	}

	@Test
	void pagesThroughUsers() {
		createUser(gateway);
		createUser(gateway);

		ApiResponse page = gateway.get("/api/users?page=0&size=1");

		assertThat(page.status()).isEqualTo(200);
		JsonNode body = page.json();
		assertThat(body.path("content")).hasSize(1);
		assertThat(body.path("size").asInt()).isEqualTo(1);
		assertThat(body.path("totalElements").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(body.path("totalPages").asLong()).isEqualTo(body.path("totalElements").asLong());
	}

	@Test
	void rejectsBadPagingParameters() {
		assertProblem(gateway.get("/api/users?size=0"), 400);
		assertProblem(gateway.get("/api/users?page=-1"), 400);
		assertProblem(gateway.get("/api/users?size=abc"), 400);
		assertProblem(gateway.get("/api/users?size=1000"), 400);
	}

	@Test
	void listsUserWithOrdersFromOrderService() {
		JsonNode user = createUser(gateway);
		String userId = user.path("id").asString();
		String orderId = placeOrder(gateway, userId, "BOOK-1", 2).json().path("id").asString();

		ApiResponse withOrders = gateway.get("/api/users/" + userId + "/orders");

		assertThat(withOrders.status()).as(withOrders.toString()).isEqualTo(200);
		assertThat(withOrders.json().path("user")).isEqualTo(user);
		assertThat(withOrders.json().path("orders").findValuesAsString("id")).containsExactly(orderId);
		assertThat(withOrders.json().path("totalElements").asInt()).isEqualTo(1);

		String secondId = placeOrder(gateway, userId, "BOOK-2", 1).json().path("id").asString();
		ApiResponse secondPage = gateway.get("/api/users/" + userId + "/orders?page=1&size=1");
		assertThat(secondPage.status()).as(secondPage.toString()).isEqualTo(200);
		assertThat(secondPage.json().path("orders").findValuesAsString("id")).containsExactly(secondId);
		assertThat(secondPage.json().path("totalElements").asInt()).isEqualTo(2);
		assertThat(secondPage.json().path("totalPages").asInt()).isEqualTo(2);
	}

	@Test
	void answersNotFoundForOrdersOfUnknownUser() {
		assertProblem(gateway.get("/api/users/00000000-0000-0000-0000-000000000000/orders"), 404);
	}

}
