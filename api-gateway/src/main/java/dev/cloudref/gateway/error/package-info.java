/**
 * Problem-detail (RFC 9457) responses for everything the gateway itself refuses or fails.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.gateway.error;

import org.springframework.modulith.ApplicationModule;
