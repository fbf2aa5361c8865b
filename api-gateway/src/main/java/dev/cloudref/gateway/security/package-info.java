/**
 * API-key authentication of {@code /api/**} requests.
 */
@ApplicationModule(allowedDependencies = { "error" })
package dev.cloudref.gateway.security;

import org.springframework.modulith.ApplicationModule;
