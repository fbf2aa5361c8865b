package dev.cloudref.order.idempotency;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of {@code idempotency_keys}: a key in flight (held by {@code claimToken} until
 * {@code lockedUntil}) or completed (with the order it created).
 *
 * @param idempotencyKey the {@code Idempotency-Key}
 * @param requestHash SHA-256 (hex) of the claiming request's canonical body
 * @param claimToken random per claim; only its holder may complete or release it
 * @param createdAt when the current claim was taken
 * @param lockedUntil in flight: the end of the lease; completed: null
 * @param orderId completed: the order created under the key; in flight: null
 * @param completedAt completed: when; in flight: null
 */
@Table("idempotency_keys")
record IdempotencyKey(@Id String idempotencyKey, String requestHash, UUID claimToken, Instant createdAt,
		Instant lockedUntil, UUID orderId, Instant completedAt, String holder) {

	boolean isCompleted() {
		return orderId != null;
	}

	boolean isLeasedAt(Instant now) {
		return !isCompleted() && lockedUntil.isAfter(now);
	}

}
