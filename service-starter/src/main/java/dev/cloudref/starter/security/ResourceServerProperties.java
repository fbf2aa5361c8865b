package dev.cloudref.starter.security;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a service checks the bearer token every request to its port must carry
 * ({@code cloudref.security.resource-server.*}).
 *
 * @param enabled whether the service requires tokens at all (default {@code true}; the
 * gateway, which authenticates callers itself, turns it off)
 * @param issuer the only accepted {@code iss}: the authorization server's issuer, which
 * is the gateway's public address (default {@code https://localhost:8443})
 * @param audience a value every token's {@code aud} must contain (default
 * {@code cloudref-api})
 * @param jwkSetUri the authorization server's JWK Set, {@code lb://} through the registry
 * or a URL (default {@code lb://auth-server/oauth2/jwks})
 * @param readScope the scope {@code GET} and {@code HEAD} requests need, e.g.
 * {@code users:read}; blank: any valid token. Not for the OpenAPI document
 * ({@code /v3/api-docs}), which any valid token may read, nor the open health probes
 * @param writeScope the scope every other request needs, e.g. {@code users:write}; blank:
 * any valid token
 */
@Validated
@ConfigurationProperties("cloudref.security.resource-server")
public record ResourceServerProperties(@DefaultValue("true") boolean enabled,
		@NotBlank @DefaultValue("https://localhost:8443") String issuer,
		@NotBlank @DefaultValue("cloudref-api") String audience,
		@NotNull @DefaultValue("lb://auth-server/oauth2/jwks") URI jwkSetUri, @DefaultValue("") String readScope,
		@DefaultValue("") String writeScope) {
}
