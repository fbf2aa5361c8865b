package dev.cloudref.gateway.security;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;
import dev.cloudref.starter.web.CallerId;
import dev.cloudref.starter.web.ProblemResponses;
import dev.cloudref.starter.web.Problems;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Requires a valid {@code X-API-Key} or bearer token (RFC 6750, verified by
 * {@link BearerTokens}) on every {@code /api/**} request, else {@code 401} (RFC 9110
 * §15.5.2) with a {@code WWW-Authenticate} challenge; a token without the scope its
 * request needs gets {@code 403} ({@code insufficient_scope}). Passes on the key id, or
 * {@code client:<client id>}, as {@code Caller-Id} ({@link CallerId}), never the key; the
 * token goes on to the services (an API-key caller's requests get the gateway's own,
 * {@link OwnTokenFilter}). A client's own {@code Caller-Id} is always removed. With both
 * an API key and a token, the API key decides.
 */
@Component
public class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

	/** Request header that carries the API key. */
	public static final String API_KEY_HEADER = "X-API-Key";

	private static final String BEARER = "Bearer ";

	/**
	 * Exchange attribute holding the authenticated caller: an API key's id, or
	 * {@code client:<client id>} for a bearer token.
	 */
	public static final String KEY_ID_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".keyId";

	/**
	 * Exchange attribute, {@code true} when the caller's own bearer token was verified
	 * and goes on to the services ({@link OwnTokenFilter} leaves it).
	 */
	public static final String CALLER_TOKEN_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".callerToken";

	private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

	/**
	 * {@code /api} and everything under it; the same parser as the routes' {@code Path}
	 * predicates.
	 */
	private static final PathPattern API_PATHS = PathPatternParser.defaultInstance.parse("/api/**");

	private final ApiKeyRegistry keys;

	private final ProblemResponses problems;

	private final BearerTokens tokens;

	ApiKeyAuthenticationFilter(ApiKeyRegistry keys, ProblemResponses problems, BearerTokens tokens) {
		this.keys = keys;
		this.problems = problems;
		this.tokens = tokens;
	}

	@Override
	public int getOrder() {
		// Before routing and everything else that could do work for an anonymous caller.
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!isApiPath(request.getPath().pathWithinApplication())) {
			// Routed too (the services' OpenAPI documents): no client names a caller.
			return chain.filter(request.getHeaders().containsHeader(CallerId.HEADER) ? exchange.mutate()
				.request(request.mutate().headers(headers -> headers.remove(CallerId.HEADER)).build())
				.build() : exchange);
		}
		String apiKey = request.getHeaders().getFirst(API_KEY_HEADER);
		String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (apiKey == null && tokens.enabled() && authorization != null
				&& authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return withBearerToken(exchange, chain, authorization.substring(BEARER.length()).trim());
		}
		Optional<String> keyId = keys.authenticate(apiKey);
		if (keyId.isEmpty()) {
			return TraceLogging
				.logged(() -> log.debug("Refused {} {}: missing or unknown API key", request.getMethod(),
						request.getPath()))
				.then(unauthorized(exchange));
		}
		return authenticated(exchange, chain, keyId.get(), callerOf(keyId.get()), true);
	}

	/**
	 * Lets the request on as the caller: the API key header is removed (it never reaches
	 * a service), so is the {@code Authorization} header of an API-key request; a bearer
	 * token goes on to the services.
	 */
	private Mono<Void> authenticated(ServerWebExchange exchange, WebFilterChain chain, String keyId, String caller,
			boolean apiKey) {
		exchange.getAttributes().put(KEY_ID_ATTRIBUTE, keyId);
		if (!apiKey) {
			exchange.getAttributes().put(CALLER_TOKEN_ATTRIBUTE, true);
		}
		ServerHttpRequest authenticated = exchange.getRequest().mutate().headers(headers -> {
			headers.remove(API_KEY_HEADER);
			if (apiKey) {
				headers.remove(HttpHeaders.AUTHORIZATION);
			}
			// set replaces whatever the client sent: only the gateway names the caller.
			headers.set(CallerId.HEADER, caller);
		}).build();
		return chain.filter(exchange.mutate().request(authenticated).build());
	}

	private Mono<Void> withBearerToken(ServerWebExchange exchange, WebFilterChain chain, String token) {
		ServerHttpRequest request = exchange.getRequest();
		return tokens.verify(token).flatMap(jwt -> {
			Optional<String> required = tokens.requiredScope(request.getMethod(),
					request.getPath().pathWithinApplication());
			if (required.isEmpty() || !BearerTokens.scopes(jwt).contains(required.get())) {
				return forbidden(exchange, required.orElse(null));
			}
			// The client's id names it for rate limits, logs and metrics, apart from API
			// key ids.
			String client = "client:" + jwt.getSubject();
			return authenticated(exchange, chain, client, client, false);
		})
			.onErrorResume(BadJwtException.class, ex -> TraceLogging
				.logged(() -> log.debug("Refused {} {}: {}", request.getMethod(), request.getPath(), ex.getMessage()))
				.then(invalidToken(exchange, ex)))
			.onErrorResume(JwtException.class,
					ex -> TraceLogging
						.logged(() -> log.warn("Could not verify a bearer token for {} {}: {}", request.getMethod(),
								request.getPath(), ex.getMessage()))
						.then(keysUnavailable(exchange)));
	}

	/**
	 * @param keyId an authenticated API key's id
	 * @return the {@link CallerId} services receive for it: {@code api-key:<key id>}
	 */
	static String callerOf(String keyId) {
		return "api-key:" + keyId;
	}

	/**
	 * Whether the path is under {@code /api}, judged as Spring Cloud Gateway's
	 * {@code Path} predicates judge it: segment by segment, percent-decoded and without
	 * matrix parameters, so {@code /%61pi/users} and {@code /api;x/users} are API paths
	 * too (both match the route {@code Path=/api/users/**}). A test of the raw string
	 * would let them through without a key or a rate limit.
	 */
	static boolean isApiPath(PathContainer path) {
		return API_PATHS.matches(path);
	}

	private Mono<Void> unauthorized(ServerWebExchange exchange) {
		ProblemDetail problem = Problems.of(HttpStatus.UNAUTHORIZED, "Unauthorized",
				tokens.enabled()
						? "A valid API key in the " + API_KEY_HEADER
								+ " header, or a bearer token in the Authorization header, is required."
						: "A valid API key is required in the " + API_KEY_HEADER + " header.");
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + API_KEY_HEADER + "\"");
		if (tokens.enabled()) {
			// RFC 6750 §3: no error code when the request carried no credentials.
			headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cloudref\"");
		}
		return problems.write(exchange, problem, headers);
	}

	/** RFC 6750 §3.1 invalid_token: malformed, unsigned, wrongly signed, expired, etc. */
	private Mono<Void> invalidToken(ServerWebExchange exchange, BadJwtException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.UNAUTHORIZED, "Unauthorized",
				"The bearer token is not valid: " + describe(ex) + ".");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE,
				"Bearer realm=\"cloudref\", error=\"invalid_token\", error_description=\"" + describe(ex) + "\"");
		return problems.write(exchange, problem, headers);
	}

	/** RFC 6750 §3.1 insufficient_scope. */
	private Mono<Void> forbidden(ServerWebExchange exchange, String scope) {
		ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, "Forbidden",
				(scope != null) ? "The bearer token lacks the scope " + scope + " this request needs."
						: "No scope grants this request to a bearer token; use an API key.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cloudref\", error=\"insufficient_scope\""
				+ ((scope != null) ? ", scope=\"" + scope + "\"" : ""));
		return problems.write(exchange, problem, headers);
	}

	/** The issuer's key set could not be fetched: nothing said about the token. */
	private Mono<Void> keysUnavailable(ServerWebExchange exchange) {
		ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
				"Bearer tokens cannot be verified right now; retry later or use an API key.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return problems.write(exchange, problem, headers);
	}

	/**
	 * @return why the token was refused, in words safe for a header (no quotes or control
	 * characters), without the token itself
	 */
	static String describe(BadJwtException ex) {
		String message = (ex instanceof JwtValidationException validation)
				? validation.getErrors().stream().map(error -> error.getDescription()).findFirst().orElse("rejected")
				: "malformed or not signed by a key of the issuer";
		return message.replaceAll("[^\\x20-\\x7E]|\"|\\\\", "").strip();
	}

}
