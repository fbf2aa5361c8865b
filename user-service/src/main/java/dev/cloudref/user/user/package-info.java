/**
 * Users: the {@code /users} resource, its validation, storage and problem responses.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.user.user;

import org.springframework.modulith.ApplicationModule;
