/**
 * Authentication of {@code /api/**} requests: API keys, or OAuth 2 bearer tokens (JWT
 * access tokens) with the scope of their route.
 */
@ApplicationModule(allowedDependencies = { "error" })
package dev.cloudref.gateway.security;

import org.springframework.modulith.ApplicationModule;
