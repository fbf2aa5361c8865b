package dev.cloudref.user.orders;

import java.time.Instant;
import java.util.UUID;

/**
 * An order as order-service returns it ({@code GET /orders?userId=}).
 *
 * @param id order id
 * @param userId the user who placed it
 * @param sku stock-keeping unit
 * @param quantity 1..1000
 * @param status order status, e.g. {@code CREATED}
 * @param createdAt creation time (UTC)
 */
public record OrderView(UUID id, UUID userId, String sku, int quantity, String status, Instant createdAt) {
}
