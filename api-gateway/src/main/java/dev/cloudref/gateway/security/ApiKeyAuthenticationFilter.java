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
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Requires a valid {@code X-API-Key} on every {@code /api/**} request, else {@code 401}
 * (RFC 9110 §15.5.2), and passes on the key id as {@code Caller-Id} ({@link CallerId}),
 * never the key; a client's own {@code Caller-Id} is always removed.
 */
@Component
public class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

	/** Request header that carries the API key. */
	public static final String API_KEY_HEADER = "X-API-Key";

	/** Exchange attribute holding the authenticated key id. */
	public static final String KEY_ID_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".keyId";

	private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

	/**
	 * {@code /api} and everything under it; the same parser as the routes' {@code Path}
	 * predicates.
	 */
	private static final PathPattern API_PATHS = PathPatternParser.defaultInstance.parse("/api/**");

	private final ApiKeyRegistry keys;

	private final ProblemResponses problems;

	ApiKeyAuthenticationFilter(ApiKeyRegistry keys, ProblemResponses problems) {
		this.keys = keys;
		this.problems = problems;
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
		Optional<String> keyId = keys.authenticate(request.getHeaders().getFirst(API_KEY_HEADER));
		if (keyId.isEmpty()) {
			return TraceLogging
				.logged(() -> log.debug("Refused {} {}: missing or unknown API key", request.getMethod(),
						request.getPath()))
				.then(unauthorized(exchange));
		}
		exchange.getAttributes().put(KEY_ID_ATTRIBUTE, keyId.get());
		ServerHttpRequest authenticated = request.mutate().headers(headers -> {
			headers.remove(API_KEY_HEADER);
			// set replaces whatever the client sent: only the gateway names the caller.
			headers.set(CallerId.HEADER, callerOf(keyId.get()));
		}).build();
		return chain.filter(exchange.mutate().request(authenticated).build());
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
				"A valid API key is required in the " + API_KEY_HEADER + " header.");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + API_KEY_HEADER + "\"");
		return problems.write(exchange, problem, headers);
	}

}
