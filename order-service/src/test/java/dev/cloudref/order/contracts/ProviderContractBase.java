package dev.cloudref.order.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;

import dev.cloudref.order.order.Order;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Base of the tests that Spring Cloud Contract generates from {@code contracts/order-service/}
 * (what other services expect of order-service): the whole order-service with its real
 * controllers and error handling, over HTTP on a random port, on an in-memory H2 database
 * that holds the orders the contracts name.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
			"cloudref.loadbalancer.health-check.enabled=false",
			"spring.r2dbc.url=r2dbc:h2:mem:///order-provider-contracts;DB_CLOSE_DELAY=-1",
			"spring.flyway.url=jdbc:h2:mem:order-provider-contracts;DB_CLOSE_DELAY=-1" })
public abstract class ProviderContractBase {

	/** The user of {@code user-service/orders_of_a_user.yml}. */
	static final UUID USER_WITH_ORDERS = UUID.fromString("4a1f9c2e-3b7d-4e8a-9c5f-1d2e3f4a5b6c");

	/** The orders of {@code user-service/orders_of_a_user.yml}, oldest first. */
	static final List<Order> ORDERS = List.of(
			new Order(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001"), USER_WITH_ORDERS, "BOOK-42", 2,
					Order.CREATED, Instant.parse("2026-01-15T09:30:00Z")),
			new Order(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000002"), USER_WITH_ORDERS, "PEN-7", 10,
					Order.CREATED, Instant.parse("2026-01-16T14:05:00.250Z")));

	@LocalServerPort
	private int port;

	@Autowired
	private R2dbcEntityOperations database;

	/**
	 * Points the generated requests at this application and stores the orders the
	 * contracts expect (the user of {@code no_orders.yml} never has any).
	 */
	@BeforeEach
	public void setUpProvider() {
		RestAssured.baseURI = "http://localhost";
		RestAssured.port = port;
		database.delete(Order.class)
			.matching(query(where("userId").is(USER_WITH_ORDERS)))
			.all()
			.thenMany(Flux.fromIterable(ORDERS).concatMap(database::insert))
			.then()
			.block(Duration.ofSeconds(10));
	}

}
