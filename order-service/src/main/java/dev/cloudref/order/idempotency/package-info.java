/**
 * Idempotency keys for POST requests: claim, lease, completion and replay of the stored
 * response, expiry and clean-up.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.order.idempotency;

import org.springframework.modulith.ApplicationModule;
