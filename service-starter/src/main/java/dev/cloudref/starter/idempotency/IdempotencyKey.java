package dev.cloudref.starter.idempotency;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of {@code idempotency_keys}: a key in flight or completed. No {@code @Id}: the
 * primary key is (caller, key), and every change is a compare-and-set statement, never a
 * save by id.
 *
 * @param caller who sent the key ({@code Caller-Id}; {@code ""} when unnamed)
 * @param idempotencyKey the {@code Idempotency-Key}
 * @param requestHash SHA-256 (hex) of the claiming request's canonical body
 * @param claimToken random per claim; only its holder may complete or release it
 * @param createdAt when the current claim was taken
 * @param lockedUntil in flight: the end of the lease; completed: null
 * @param resourceId completed: the id of the created resource, as text; in flight: null
 * @param completedAt completed: when; in flight: null
 * @param holder in flight: the base URL of the instance holding the claim, or null
 */
@Table("idempotency_keys")
record IdempotencyKey(String caller, String idempotencyKey, String requestHash, UUID claimToken, Instant createdAt,
		Instant lockedUntil, String resourceId, Instant completedAt, String holder) {

	boolean isCompleted() {
		return resourceId != null;
	}

	boolean isLeasedAt(Instant now) {
		return !isCompleted() && lockedUntil.isAfter(now);
	}

}
