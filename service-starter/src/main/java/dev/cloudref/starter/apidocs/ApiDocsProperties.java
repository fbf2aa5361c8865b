package dev.cloudref.starter.apidocs;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a service's OpenAPI document describes the public API, which clients reach through
 * the api-gateway ({@code cloudref.api-docs.*}).
 *
 * @param serverUrl the only server URL: the gateway's prefix, relative (default
 * {@code /api})
 * @param apiKeyHeader the header the gateway reads the API key from (default
 * {@code X-API-Key})
 * @param authorizationUrl the authorization endpoint of the authorization code grant,
 * through the gateway (default {@code /oauth2/authorize}, relative to the gateway)
 * @param tokenUrl the token endpoint, through the gateway (default {@code /oauth2/token})
 */
@Validated
@ConfigurationProperties("cloudref.api-docs")
public record ApiDocsProperties(@NotBlank @DefaultValue("/api") String serverUrl,
		@NotBlank @DefaultValue("X-API-Key") String apiKeyHeader,
		@NotBlank @DefaultValue("/oauth2/authorize") String authorizationUrl,
		@NotBlank @DefaultValue("/oauth2/token") String tokenUrl) {
}
