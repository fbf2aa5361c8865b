/**
 * Orders: the {@code /orders} resource, its validation, storage and problem responses.
 * Checks the order's user through {@code users}; creation is idempotent per
 * {@code Idempotency-Key} through service-starter's {@code IdempotencyKeys}.
 */
@ApplicationModule(allowedDependencies = { "users", "outbox" })
package dev.cloudref.order.order;

import org.springframework.modulith.ApplicationModule;
