package dev.cloudref.order.outbox;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of the transactional outbox: one event waiting for the relay, or published.
 *
 * @param id the event's id, also the message id the consumers deduplicate by
 * @param eventType the event's name, e.g. {@code OrderPlaced}; the message's type
 * @param routingKey the routing key it is published with
 * @param payload the message body, JSON, at most 8,192 characters
 * @param traceparent the W3C trace context of the request that stored it, or null
 * @param createdAt when it was stored (UTC, millisecond precision)
 * @param publishedAt when the broker confirmed it; null until then
 */
@Table("outbox_events")
record OutboxEvent(@Id UUID id, String eventType, String routingKey, String payload, String traceparent,
		Instant createdAt, Instant publishedAt) {

}
