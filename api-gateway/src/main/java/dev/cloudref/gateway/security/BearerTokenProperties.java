package dev.cloudref.gateway.security;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.oauth2.*}: which bearer tokens (JWT access tokens, RFC 9068) the gateway
 * accepts beside API keys, and which scope each API request needs.
 *
 * @param enabled false: only API keys are accepted
 * @param issuer the {@code iss} every token must carry (the authorization server's
 * issuer, e.g. {@code https://localhost:8443})
 * @param audience the value the token's {@code aud} must contain (e.g.
 * {@code cloudref-api})
 * @param jwkSetUri where the issuer publishes its keys (RFC 7517 JWK Set):
 * {@code lb://<service>/<path>} asks the registry for an instance, any other URI is used
 * as it is. Fetched when first needed, cached, and fetched again when a token names a key
 * id the cache does not hold (a rotated key).
 * @param scopes what each request needs: the first rule whose methods and path match
 * names the scope; a request no rule matches is refused to every token (403)
 */
@Validated
@ConfigurationProperties("gateway.oauth2")
public record BearerTokenProperties(@DefaultValue("true") boolean enabled, @NotBlank String issuer,
		@NotBlank String audience, @NotNull URI jwkSetUri, @DefaultValue( {
		}) List<@Valid ScopeRule> scopes){

	/**
	 * @param methods the HTTP methods the rule covers
	 * @param path a path pattern over the gateway's paths, e.g. {@code /api/users/**}
	 * (Spring's {@code PathPattern} syntax, as the routes' {@code Path} predicates)
	 * @param scope the scope a token needs for it, e.g. {@code users:read}
	 */
	public record ScopeRule(@NotEmpty Set<HttpMethod> methods, @NotBlank String path, @NotBlank String scope) {
	}

}
