/**
 * Routing support: retries avoid the instance that just failed; request bodies that a
 * retry may resend are copied to the heap.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.gateway.routing;

import org.springframework.modulith.ApplicationModule;
