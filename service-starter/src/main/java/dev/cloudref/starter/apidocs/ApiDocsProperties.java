package dev.cloudref.starter.apidocs;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a service's OpenAPI document describes the public API, which clients reach through
 * the api-gateway ({@code cloudref.api-docs.*}).
 *
 * @param serverUrl the document's only server URL (default {@code /api}): the gateway's
 * prefix in front of the service's own paths ({@code /users} is {@code /api/users} at the
 * gateway). Relative, so that it resolves against wherever the document was fetched
 * from, which is the gateway (RFC 3986 §5; OpenAPI 3.1 §4.8.5).
 * @param apiKeyHeader the request header the gateway reads the API key from (default
 * {@code X-API-Key}), declared as the document's security scheme
 */
@Validated
@ConfigurationProperties("cloudref.api-docs")
public record ApiDocsProperties(@NotBlank @DefaultValue("/api") String serverUrl,
		@NotBlank @DefaultValue("X-API-Key") String apiKeyHeader) {
}
