package dev.cloudref.gateway.security;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Verifies bearer tokens with Spring Security's {@link NimbusReactiveJwtDecoder}: RS256
 * signature by a key of the issuer's JWK Set, {@code exp}/{@code nbf} (60 s clock skew),
 * {@code iss} and {@code aud} ({@link BearerTokenProperties}); unsigned
 * ({@code alg=none}) and otherwise signed tokens are refused. Then tells which scope a
 * request needs.
 */
@Component
public class BearerTokens {

	private final BearerTokenProperties properties;

	private final ReactiveJwtDecoder decoder;

	private final List<CompiledRule> rules;

	BearerTokens(BearerTokenProperties properties,
			ObjectProvider<ReactorLoadBalancerExchangeFilterFunction> loadBalancer) {
		this.properties = properties;
		String uri = properties.jwkSetUri().toString();
		WebClient.Builder client = WebClient.builder();
		if (uri.startsWith("lb://")) {
			client.filter(loadBalancer.getObject());
			uri = "http://" + uri.substring("lb://".length());
		}
		NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withJwkSetUri(uri).webClient(client.build()).build();
		nimbus.setJwtValidator(
				new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(properties.issuer()),
						new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
								audience -> audience != null && audience.contains(properties.audience()))));
		this.decoder = nimbus;
		this.rules = properties.scopes()
			.stream()
			.map(rule -> new CompiledRule(rule, PathPatternParser.defaultInstance.parse(rule.path())))
			.toList();
	}

	/**
	 * @return whether bearer tokens are accepted at all ({@code gateway.oauth2.enabled})
	 */
	public boolean enabled() {
		return properties.enabled();
	}

	/**
	 * @param token the compact JWS from {@code Authorization: Bearer <token>}
	 * @return the verified token; fails with
	 * {@link org.springframework.security.oauth2.jwt.BadJwtException} when it is
	 * malformed, unsigned, wrongly signed, expired, or for another issuer or audience,
	 * and with another {@link org.springframework.security.oauth2.jwt.JwtException} when
	 * the key set cannot be fetched
	 */
	public Mono<Jwt> verify(String token) {
		// The decoder throws at once for a token it cannot parse: as an error signal.
		return Mono.defer(() -> decoder.decode(token));
	}

	/**
	 * @param method the request's method
	 * @param path the request's path within the gateway
	 * @return the scope the request needs; empty when no rule covers it (no token may
	 * make it)
	 */
	public Optional<String> requiredScope(HttpMethod method, PathContainer path) {
		return rules.stream()
			.filter(rule -> rule.rule().methods().contains(method) && rule.pattern().matches(path))
			.map(rule -> rule.rule().scope())
			.findFirst();
	}

	/**
	 * @param jwt a verified token
	 * @return its scopes (the {@code scope} claim, a list or a space-separated string,
	 * RFC 8693 §4.2 / RFC 9068 §2.2.3)
	 */
	public static List<String> scopes(Jwt jwt) {
		Object scope = jwt.getClaims().get("scope");
		if (scope instanceof String text) {
			return List.of(text.trim().split("\\s+"));
		}
		if (scope instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

	private record CompiledRule(BearerTokenProperties.ScopeRule rule, PathPattern pattern) {
	}

}
