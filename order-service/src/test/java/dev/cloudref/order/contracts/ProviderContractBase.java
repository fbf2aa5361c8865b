package dev.cloudref.order.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.cloudref.order.order.Order;
import dev.cloudref.testsupport.AbstractProviderContractBase;

import org.springframework.data.r2dbc.core.R2dbcEntityOperations;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Base of the tests that Spring Cloud Contract generates from
 * {@code contracts/order-service/} (what other services expect of order-service): the
 * whole order-service (see {@link AbstractProviderContractBase}) with the orders the
 * contracts name.
 */
public abstract class ProviderContractBase extends AbstractProviderContractBase {

	/** The user of {@code user-service/orders_of_a_user.yml}. */
	static final UUID USER_WITH_ORDERS = UUID.fromString("4a1f9c2e-3b7d-4e8a-9c5f-1d2e3f4a5b6c");

	/** The orders of {@code user-service/orders_of_a_user.yml}, oldest first. */
	static final List<Order> ORDERS = List.of(
			new Order(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001"), USER_WITH_ORDERS, "BOOK-42", 2,
					Order.CREATED, Instant.parse("2026-01-15T09:30:00Z")),
			new Order(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000002"), USER_WITH_ORDERS, "PEN-7", 10,
					Order.CREATED, Instant.parse("2026-01-16T14:05:00.250Z")));

	/**
	 * Stores the orders the contracts expect (the user of {@code no_orders.yml} never has
	 * any).
	 */
	@Override
	protected Mono<Void> storeContractData(R2dbcEntityOperations database) {
		return database.delete(Order.class)
			.matching(query(where("userId").is(USER_WITH_ORDERS)))
			.all()
			.thenMany(Flux.fromIterable(ORDERS).concatMap(database::insert))
			.then();
	}

}
