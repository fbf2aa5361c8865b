package dev.cloudref.order.order;

import java.time.Instant;
import java.util.UUID;

/**
 * The event of a stored order, published to the {@code order-events} exchange with
 * routing key {@code order.placed} (docs/events.md; schema
 * {@code contracts/events/order-placed.schema.json}). Consumers apply an {@code eventId}
 * once; a later, compatible change adds fields and keeps {@code schemaVersion}, an
 * incompatible one raises it.
 *
 * @param eventId this event's id (also the message id); unique per order
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param orderId the order's id
 * @param userId the user who placed it
 * @param sku stock-keeping unit
 * @param quantity 1..1000
 * @param createdAt when the order was placed (UTC, millisecond precision)
 */
public record OrderPlaced(UUID eventId, int schemaVersion, UUID orderId, UUID userId, String sku, int quantity,
		Instant createdAt) {

	/** The message's type: the event's name. */
	public static final String TYPE = "OrderPlaced";

	/** The routing key the event is published with. */
	public static final String ROUTING_KEY = "order.placed";

	/** The version of the event's schema this service writes. */
	public static final int SCHEMA_VERSION = 1;

	/**
	 * @param order a stored order
	 * @return its event, with a new event id
	 */
	static OrderPlaced of(Order order) {
		return new OrderPlaced(UUID.randomUUID(), SCHEMA_VERSION, order.id(), order.userId(), order.sku(),
				order.quantity(), order.createdAt());
	}

}
