package dev.cloudref.starter.security;

import java.net.URI;
import java.util.List;

import dev.cloudref.starter.client.LoadBalancedUris;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the JWT decoder of the gateway and of every service: Spring Security's
 * {@link NimbusReactiveJwtDecoder} over the authorization server's JWK Set (RFC 7517),
 * RS256 only (its default, so {@code alg=none} and HMAC tokens are refused), keys cached
 * and fetched again when a token names an unknown {@code kid}; {@code exp}/{@code nbf}
 * with 60 s clock skew, {@code iss} and {@code aud} checked (RFC 9068 §4).
 */
public final class BearerTokenDecoders {

	private BearerTokenDecoders() {
	}

	/**
	 * @param jwkSetUri the key set: {@code lb://auth-server/oauth2/jwks} (through the
	 * registry) or any {@code http(s)} URL
	 * @param issuer the only accepted {@code iss}
	 * @param audience a value the {@code aud} claim must contain
	 * @param loadBalancer Spring Cloud LoadBalancer's filter, needed for an {@code lb://}
	 * URI only
	 * @return the decoder; its {@code decode} fails with
	 * {@link org.springframework.security.oauth2.jwt.BadJwtException} for a malformed,
	 * unsigned, wrongly signed, expired, other-issuer or other-audience token, and with
	 * another {@link org.springframework.security.oauth2.jwt.JwtException} when the key
	 * set cannot be fetched
	 */
	public static NimbusReactiveJwtDecoder create(URI jwkSetUri, String issuer, String audience,
			ObjectProvider<LoadBalancedExchangeFilterFunction> loadBalancer) {
		WebClient.Builder client = WebClient.builder();
		if (LoadBalancedUris.SCHEME.equalsIgnoreCase(jwkSetUri.getScheme())) {
			client.filter(LoadBalancedUris.filter(loadBalancer.getObject()));
		}
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri.toString())
			.webClient(client.build())
			.build();
		decoder.setJwtValidator(validator(issuer, audience));
		return decoder;
	}

	/**
	 * @param issuer the only accepted {@code iss}
	 * @param audience a value the {@code aud} claim must contain
	 * @return Spring Security's default validators ({@code exp}, {@code nbf}, 60 s skew)
	 * with the issuer's, plus the audience's
	 */
	public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
		return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						value -> value != null && value.contains(audience)));
	}

	/**
	 * @param jwt a verified token
	 * @return its scopes (the {@code scope} claim, a list or a space-separated string,
	 * RFC 8693 §4.2 / RFC 9068 §2.2.3); empty when it has none
	 */
	public static List<String> scopes(Jwt jwt) {
		Object scope = jwt.getClaims().get("scope");
		if (scope instanceof String text) {
			return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
		}
		if (scope instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

}
