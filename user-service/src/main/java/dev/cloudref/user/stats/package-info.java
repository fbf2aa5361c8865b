/**
 * A user's order statistics ({@code GET /users/{id}/stats}), kept from order-service's
 * {@code OrderPlaced} events: consumed from RabbitMQ, each event applied once
 * (docs/events.md).
 */
@ApplicationModule(allowedDependencies = { "user" })
package dev.cloudref.user.stats;

import org.springframework.modulith.ApplicationModule;
