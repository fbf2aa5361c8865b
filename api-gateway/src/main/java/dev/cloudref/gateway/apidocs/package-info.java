/**
 * The OpenAPI documents of services that registered with a {@code public-path}: a route
 * to each document and an entry for it in the Swagger UI.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.gateway.apidocs;

import org.springframework.modulith.ApplicationModule;
