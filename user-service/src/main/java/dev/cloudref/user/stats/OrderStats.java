package dev.cloudref.user.stats;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's orders as seen from the {@code OrderPlaced} events applied so far (eventually
 * consistent with order-service: an order's event arrives shortly after it is placed).
 *
 * @param userId the user
 * @param orderCount how many orders the user placed
 * @param lastOrderId the most recently placed order (by its creation time), null without
 * orders
 * @param lastOrderAt when it was placed (UTC), null without orders
 */
public record OrderStats(UUID userId, long orderCount, UUID lastOrderId, Instant lastOrderAt) {

	static OrderStats none(UUID userId) {
		return new OrderStats(userId, 0, null, null);
	}

}
