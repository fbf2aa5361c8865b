/**
 * Rate limits per API key (token buckets, in memory or in Redis) with 429 problem
 * responses.
 */
@ApplicationModule(allowedDependencies = { "error", "security" })
package dev.cloudref.gateway.ratelimit;

import org.springframework.modulith.ApplicationModule;
