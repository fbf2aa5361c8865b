/**
 * The example resource: ${resources}, stored with R2DBC in this service's own database.
 * Rename it to your domain (docs/new-service.md).
 */
@ApplicationModule(allowedDependencies = "users")
package ${package}.${resource};

import org.springframework.modulith.ApplicationModule;
