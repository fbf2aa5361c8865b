/**
 * A user's orders ({@code GET /users/{id}/orders}): the user from {@code user}, the
 * orders from order-service through a load-balanced client with a circuit breaker.
 */
@ApplicationModule(allowedDependencies = { "user" })
package dev.cloudref.user.orders;

import org.springframework.modulith.ApplicationModule;
