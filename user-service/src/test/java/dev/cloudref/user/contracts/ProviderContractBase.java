package dev.cloudref.user.contracts;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.testsupport.AbstractProviderContractBase;
import dev.cloudref.user.user.User;

import org.springframework.data.r2dbc.core.R2dbcEntityOperations;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Base of the tests that Spring Cloud Contract generates from
 * {@code contracts/user-service/} (what other services expect of user-service): the whole
 * user-service (see {@link AbstractProviderContractBase}) with the users the contracts
 * name.
 */
public abstract class ProviderContractBase extends AbstractProviderContractBase {

	/** The user of {@code order-service/known_user.yml}. */
	static final User KNOWN_USER = new User(UUID.fromString("8d3b5a2e-6c1f-4e0a-9b7d-2f4c1a9e5b30"), "Ada Lovelace",
			"ada@example.com", Instant.parse("2026-01-01T00:00:00Z"));

	/**
	 * Stores the users the contracts expect (an id in {@code unknown_user.yml} is never
	 * stored).
	 */
	@Override
	protected Mono<Void> storeContractData(R2dbcEntityOperations database) {
		return database.delete(User.class)
			.matching(query(where("id").is(KNOWN_USER.id())))
			.all()
			.then(database.insert(KNOWN_USER))
			.then();
	}

}
