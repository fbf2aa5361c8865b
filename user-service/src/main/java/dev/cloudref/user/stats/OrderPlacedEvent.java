package dev.cloudref.user.stats;

import java.time.Instant;
import java.util.UUID;

/**
 * What this service reads of order-service's {@code OrderPlaced} event
 * ({@code contracts/events/order-placed.schema.json}); fields it does not know are
 * ignored, so that order-service may add some.
 *
 * @param eventId the event's id: applied once
 * @param schemaVersion {@value #SCHEMA_VERSION}; another version is refused
 * @param orderId the order's id
 * @param userId the user who placed it
 * @param sku stock-keeping unit
 * @param quantity 1..1000
 * @param createdAt when the order was placed
 */
record OrderPlacedEvent(UUID eventId, Integer schemaVersion, UUID orderId, UUID userId, String sku, Integer quantity,
		Instant createdAt) {

	/** The schema version this consumer reads. */
	static final int SCHEMA_VERSION = 1;

	/**
	 * @return this event
	 * @throws InvalidEventException if a field it needs is missing or the schema version
	 * is not {@value #SCHEMA_VERSION}
	 */
	OrderPlacedEvent requireValid() {
		if (schemaVersion == null || schemaVersion != SCHEMA_VERSION) {
			throw new InvalidEventException("schemaVersion " + schemaVersion + " is not " + SCHEMA_VERSION);
		}
		if (eventId == null || orderId == null || userId == null || createdAt == null) {
			throw new InvalidEventException("eventId, orderId, userId and createdAt are required");
		}
		return this;
	}

}
