/**
 * Limits on what a client may send: header, URI and body sizes, header and body timeouts,
 * connection limits, and problem responses for what Netty rejects.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.gateway.limits;

import org.springframework.modulith.ApplicationModule;
