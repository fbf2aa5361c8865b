/**
 * TLS for the public port: a configured certificate, or a self-signed one for local runs.
 */
@ApplicationModule(allowedDependencies = {})
package dev.cloudref.gateway.tls;

import org.springframework.modulith.ApplicationModule;
