package dev.cloudref.user.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.cloudref.testsupport.AbstractConsumerContractTest;
import dev.cloudref.testsupport.StubsFromContracts;
import dev.cloudref.user.user.User;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;

import static org.hamcrest.Matchers.contains;
import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * user-service against order-service as its contracts describe it
 * ({@code contracts/order-service/user-service/}): Stub Runner turns the same contracts
 * that order-service's build verifies into a WireMock server (see
 * {@link AbstractConsumerContractTest}), and the real load-balanced {@link OrderClient}
 * finds it by service name.
 */
@StubsFromContracts("order-service")
class OrderServiceContractTest extends AbstractConsumerContractTest {

	/** The user of {@code orders_of_a_user.yml}. */
	static final UUID USER_WITH_ORDERS = UUID.fromString("4a1f9c2e-3b7d-4e8a-9c5f-1d2e3f4a5b6c");

	/** The user of {@code no_orders.yml}. */
	static final UUID USER_WITHOUT_ORDERS = UUID.fromString("4a1f9c2e-0000-4000-8000-00000000e0e0");

	@Autowired
	OrderClient orders;

	@Autowired
	R2dbcEntityOperations database;

	@Test
	void readsEveryFieldOfAPageOfAUsersOrders() {
		StepVerifier.create(orders.ordersOf(USER_WITH_ORDERS, 0, 1))
			.expectNext(
					new OrderPageView(
							List.of(new OrderView(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001"),
									USER_WITH_ORDERS, "BOOK-42", 2, "CREATED", Instant.parse("2026-01-15T09:30:00Z"))),
							0, 1, 2, 2))
			.verifyComplete();
	}

	@Test
	void readsAnEmptyPageForAUserWithoutOrders() {
		StepVerifier.create(orders.ordersOf(USER_WITHOUT_ORDERS, 0, 20))
			.expectNext(new OrderPageView(List.of(), 0, 20, 0, 0))
			.verifyComplete();
	}

	@Test
	void showsAUserWithTheirOrders() {
		store(USER_WITH_ORDERS, "with-orders@example.com");

		client.get()
			.uri("/users/{id}/orders?size=1", USER_WITH_ORDERS)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.user.id")
			.isEqualTo(USER_WITH_ORDERS.toString())
			.jsonPath("$.orders[*].sku")
			.value(contains("BOOK-42"))
			.jsonPath("$.totalElements")
			.isEqualTo(2)
			.jsonPath("$.totalPages")
			.isEqualTo(2);
	}

	@Test
	void showsAUserWithoutOrdersWithAnEmptyList() {
		store(USER_WITHOUT_ORDERS, "without-orders@example.com");

		client.get()
			.uri("/users/{id}/orders", USER_WITHOUT_ORDERS)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.user.id")
			.isEqualTo(USER_WITHOUT_ORDERS.toString())
			.jsonPath("$.orders")
			.isArray()
			.jsonPath("$.orders")
			.isEmpty();
	}

	/** Stores a user with the id a contract names, once. */
	private void store(UUID id, String email) {
		User user = new User(id, "Contract User", email, Instant.parse("2026-01-01T00:00:00Z"));
		database.selectOne(query(where("id").is(id)), User.class)
			.switchIfEmpty(database.insert(user))
			.block(Duration.ofSeconds(10));
	}

}
