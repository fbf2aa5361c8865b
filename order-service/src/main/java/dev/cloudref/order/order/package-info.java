/**
 * Orders: the {@code /orders} resource, its validation, storage and problem responses. Checks the
 * order's user through {@code users} and makes creation idempotent through {@code idempotency}.
 */
@ApplicationModule(allowedDependencies = { "users", "idempotency" })
package dev.cloudref.order.order;

import org.springframework.modulith.ApplicationModule;
