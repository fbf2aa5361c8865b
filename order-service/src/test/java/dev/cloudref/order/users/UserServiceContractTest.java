package dev.cloudref.order.users;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.cloudref.testsupport.AbstractConsumerContractTest;
import dev.cloudref.testsupport.Problems;
import dev.cloudref.testsupport.StubsFromContracts;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * order-service against user-service as its contracts describe it
 * ({@code contracts/user-service/order-service/}): Stub Runner turns the same contracts
 * that user-service's build verifies into a WireMock server (see
 * {@link AbstractConsumerContractTest}), and the real load-balanced {@link UserClient}
 * finds it by service name.
 */
@StubsFromContracts("user-service")
class UserServiceContractTest extends AbstractConsumerContractTest {

	/** The user of {@code known_user.yml}. */
	static final UUID KNOWN_USER = UUID.fromString("8d3b5a2e-6c1f-4e0a-9b7d-2f4c1a9e5b30");

	/** The id of {@code unknown_user.yml}. */
	static final UUID UNKNOWN_USER = UUID.fromString("00000000-0000-4000-8000-000000000404");

	@Autowired
	UserClient users;

	@Test
	void findsAUserThatUserServiceKnows() {
		StepVerifier.create(users.exists(KNOWN_USER)).expectNext(true).verifyComplete();
	}

	@Test
	void takesNotFoundAsAnAnswerNotAFailure() {
		StepVerifier.create(users.exists(UNKNOWN_USER)).expectNext(false).verifyComplete();

		assertThat(circuitBreakers.circuitBreaker("user-service").getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void placesAnOrderForAUserThatUserServiceKnows() {
		post(KNOWN_USER).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.userId")
			.isEqualTo(KNOWN_USER.toString())
			.jsonPath("$.status")
			.isEqualTo("CREATED");
	}

	@Test
	void refusesAnOrderForAUserThatUserServiceDoesNotKnow() {
		Problems.expectProblem(post(UNKNOWN_USER), 422).jsonPath("$.title").isEqualTo("Unknown user");
	}

	private WebTestClient.ResponseSpec post(UUID userId) {
		return client.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId.toString(), "sku", "BOOK-42", "quantity", 1))
			.exchange();
	}

}
