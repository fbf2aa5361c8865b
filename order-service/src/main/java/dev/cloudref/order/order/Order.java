package dev.cloudref.order.order;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored order; also its JSON shape in responses.
 *
 * @param id random UUID assigned on creation
 * @param userId the user who placed it (checked against user-service)
 * @param sku stock-keeping unit
 * @param quantity 1..1000
 * @param status {@code CREATED}
 * @param createdAt creation time (UTC, millisecond precision)
 */
@Table("orders")
public record Order(@Id UUID id, UUID userId, String sku, int quantity, String status, Instant createdAt) {

	/** Status of a newly placed order. */
	public static final String CREATED = "CREATED";

}
