package dev.cloudref.user.stats;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The order statistics and the ids of the events applied to them, in this service's
 * database ({@code user_order_stats}, {@code processed_events}).
 */
@Component
class OrderStatsStore {

	private final DatabaseClient sql;

	private final TransactionalOperator transactions;

	private final Clock clock = Clock.systemUTC();

	OrderStatsStore(DatabaseClient sql, TransactionalOperator transactions) {
		this.sql = sql;
		this.transactions = transactions;
	}

	/**
	 * Applies an event once: records its id and updates the user's statistics in one
	 * transaction. The last order is the one created last, whatever order the events
	 * arrive in.
	 * @param event a valid event
	 * @return true if applied now, false if it had been applied before (nothing changed);
	 * errors with the database's error (nothing changed; the caller retries)
	 */
	Mono<Boolean> apply(OrderPlacedEvent event) {
		OffsetDateTime createdAt = OffsetDateTime.ofInstant(event.createdAt(), ZoneOffset.UTC);
		Mono<Long> recordProcessed = sql
			.sql("INSERT INTO processed_events (event_id, processed_at) VALUES (:eventId, :now)")
			.bind("eventId", event.eventId())
			.bind("now", OffsetDateTime.now(clock))
			.fetch()
			.rowsUpdated()
			.onErrorMap(DuplicateKeyException.class, AlreadyProcessed::new);
		Mono<Long> updateStats = sql.sql("""
				UPDATE user_order_stats SET order_count = order_count + 1,
				    last_order_id = CASE WHEN :createdAt > last_order_at THEN :orderId ELSE last_order_id END,
				    last_order_at = CASE WHEN :createdAt > last_order_at THEN :createdAt ELSE last_order_at END
				WHERE user_id = :userId""")
			.bind("createdAt", createdAt)
			.bind("orderId", event.orderId())
			.bind("userId", event.userId())
			.fetch()
			.rowsUpdated();
		// The user's first order. Two first orders applied at once on two instances: one
		// insert fails on the key, its transaction rolls back and the event is retried.
		Mono<Long> insertStats = sql.sql("""
				INSERT INTO user_order_stats (user_id, order_count, last_order_id, last_order_at)
				VALUES (:userId, 1, :orderId, :createdAt)""")
			.bind("userId", event.userId())
			.bind("orderId", event.orderId())
			.bind("createdAt", createdAt)
			.fetch()
			.rowsUpdated();
		return transactions
			.transactional(recordProcessed.then(updateStats)
				.flatMap(updated -> (updated > 0) ? Mono.just(updated) : insertStats)
				.thenReturn(true))
			.onErrorResume(AlreadyProcessed.class, duplicate -> Mono.just(false));
	}

	/**
	 * @param userId a user's id
	 * @return the user's statistics; zero orders if no event named the user
	 */
	Mono<OrderStats> find(UUID userId) {
		return sql.sql("SELECT order_count, last_order_id, last_order_at FROM user_order_stats WHERE user_id = :userId")
			.bind("userId", userId)
			.map((row, metadata) -> new OrderStats(userId, row.get("order_count", Long.class),
					row.get("last_order_id", UUID.class), row.get("last_order_at", OffsetDateTime.class).toInstant()))
			.one()
			.defaultIfEmpty(OrderStats.none(userId));
	}

	/** The event's id was in {@code processed_events} already. */
	private static final class AlreadyProcessed extends RuntimeException {

		AlreadyProcessed(DuplicateKeyException cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

}
