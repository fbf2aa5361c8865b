/**
 * Access log, trace id response header and the API key id as an observation tag.
 */
@ApplicationModule(allowedDependencies = { "security" })
package dev.cloudref.gateway.observability;

import org.springframework.modulith.ApplicationModule;
