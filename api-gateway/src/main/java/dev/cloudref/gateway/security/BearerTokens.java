package dev.cloudref.gateway.security;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.BearerTokenDecoders;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Verifies bearer tokens as the services do ({@link BearerTokenDecoders}: RS256 signature
 * by a key of the issuer's JWK Set, {@code exp}/{@code nbf}, {@code iss}, {@code aud}
 * from {@link BearerTokenProperties}; unsigned and otherwise signed tokens are refused).
 * Then tells which scope a request needs.
 */
@Component
public class BearerTokens {

	private final BearerTokenProperties properties;

	private final ReactiveJwtDecoder decoder;

	private final List<CompiledRule> rules;

	BearerTokens(BearerTokenProperties properties, ObjectProvider<LoadBalancedExchangeFilterFunction> loadBalancer) {
		this.properties = properties;
		this.decoder = BearerTokenDecoders.create(properties.jwkSetUri(), properties.issuer(), properties.audience(),
				loadBalancer);
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
	 * @return its scopes ({@link BearerTokenDecoders#scopes(Jwt)})
	 */
	public static List<String> scopes(Jwt jwt) {
		return BearerTokenDecoders.scopes(jwt);
	}

	private record CompiledRule(BearerTokenProperties.ScopeRule rule, PathPattern pattern) {
	}

}
