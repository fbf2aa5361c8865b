/**
 * The client for user-service ({@code GET /users/{id}}): load-balanced, with a circuit
 * breaker, bulkhead and time limit; a failure becomes a 503 problem.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.order.users;

import org.springframework.modulith.ApplicationModule;
