package dev.cloudref.user.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;

import dev.cloudref.user.user.User;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Base of the tests that Spring Cloud Contract generates from {@code contracts/user-service/}
 * (what other services expect of user-service): the whole user-service with its real
 * controllers and error handling, over HTTP on a random port, on an in-memory H2 database
 * that holds the users the contracts name.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
			"cloudref.loadbalancer.health-check.enabled=false",
			"spring.r2dbc.url=r2dbc:h2:mem:///user-provider-contracts;DB_CLOSE_DELAY=-1",
			"spring.flyway.url=jdbc:h2:mem:user-provider-contracts;DB_CLOSE_DELAY=-1" })
public abstract class ProviderContractBase {

	/** The user of {@code order-service/known_user.yml}. */
	static final User KNOWN_USER = new User(UUID.fromString("8d3b5a2e-6c1f-4e0a-9b7d-2f4c1a9e5b30"), "Ada Lovelace",
			"ada@example.com", Instant.parse("2026-01-01T00:00:00Z"));

	@LocalServerPort
	private int port;

	@Autowired
	private R2dbcEntityOperations database;

	/**
	 * Points the generated requests at this application and stores the users the
	 * contracts expect (an id in {@code unknown_user.yml} is never stored).
	 */
	@BeforeEach
	public void setUpProvider() {
		RestAssured.baseURI = "http://localhost";
		RestAssured.port = port;
		database.delete(User.class)
			.matching(query(where("id").is(KNOWN_USER.id())))
			.all()
			.then(database.insert(KNOWN_USER))
			.block(Duration.ofSeconds(10));
	}

}
