package dev.cloudref.gateway.security;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;
import dev.cloudref.starter.security.OutboundTokens;
import dev.cloudref.starter.web.ProblemResponses;
import dev.cloudref.starter.web.Problems;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gives every routed request the bearer token the services require (they are resource
 * servers too): a caller's verified token goes on as it is; for everyone else (API-key
 * callers, the OpenAPI documents Swagger UI reads) the gateway sends its own
 * client-credentials token (client {@code api-gateway}, {@link OutboundTokens}) in place
 * of any {@code Authorization} header. A route with the metadata {@code own-token: false}
 * (the authorization server's, whose token endpoint takes the client's own credentials)
 * is sent as it came. When the gateway cannot get its token: {@code 503} problem with
 * {@code Retry-After}.
 */
@Component
public class OwnTokenFilter implements GlobalFilter, Ordered {

	/** Route metadata key; {@code false} sends the request's own headers unchanged. */
	public static final String METADATA_KEY = "own-token";

	private static final Logger log = LoggerFactory.getLogger(OwnTokenFilter.class);

	private final OutboundTokens tokens;

	private final ProblemResponses problems;

	OwnTokenFilter(OutboundTokens tokens, ProblemResponses problems) {
		this.tokens = tokens;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		// Before the route's own filters (retries resend the request as set here).
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		Map<String, Object> metadata = (route != null) ? route.getMetadata() : Map.of();
		if ("false".equals(String.valueOf(metadata.get(METADATA_KEY)))
				|| Boolean.TRUE.equals(exchange.getAttribute(ApiKeyAuthenticationFilter.CALLER_TOKEN_ATTRIBUTE))) {
			return chain.filter(exchange);
		}
		return tokens.token()
			.map(Optional::of)
			.onErrorResume(ex -> TraceLogging
				.logged(() -> log.warn("No access token of the gateway's own for {} {}: {}",
						exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.toString()))
				.then(Mono.just(Optional.empty())))
			.flatMap(token -> token.isEmpty() ? unavailable(exchange) : chain.filter(exchange.mutate()
				.request(exchange.getRequest().mutate().headers(headers -> headers.setBearerAuth(token.get())).build())
				.build()));
	}

	private Mono<Void> unavailable(ServerWebExchange exchange) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return problems.write(exchange,
				Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
						"The gateway cannot obtain the access token the services require right now; retry later."),
				headers);
	}

}
