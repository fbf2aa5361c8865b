package dev.cloudref.starter.security;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.web.ProblemResponses;
import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * A service's answers to requests its resource server refuses, as RFC 9457 problem
 * details with the RFC 6750 §3 {@code WWW-Authenticate: Bearer} challenge, the same
 * answers the gateway gives: no token {@code 401} (challenge without error code), a bad
 * token {@code 401 invalid_token}, a token without the scope {@code 403
 * insufficient_scope}, key set unreachable {@code 503} with {@code Retry-After}; a
 * request target Spring Security's firewall refuses (e.g. a {@code ..} segment)
 * {@code 400}.
 */
final class ProblemSecurityResponses implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler,
		ServerAuthenticationFailureHandler, ServerExchangeRejectedHandler {

	private static final String REALM = "Bearer realm=\"cloudref\"";

	private final ProblemResponses problems;

	private final ResourceServerProperties properties;

	ProblemSecurityResponses(ProblemResponses problems, ResourceServerProperties properties) {
		this.problems = problems;
		this.properties = properties;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		HttpHeaders headers = new HttpHeaders();
		if (ex instanceof OAuth2AuthenticationException oauth2) {
			OAuth2Error error = oauth2.getError();
			HttpStatus status = (error instanceof BearerTokenError bearer) ? bearer.getHttpStatus()
					: HttpStatus.UNAUTHORIZED;
			String description = safe(error.getDescription());
			headers.set(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"" + safe(error.getErrorCode()) + "\""
					+ (description.isEmpty() ? "" : ", error_description=\"" + description + "\""));
			return problems.write(exchange,
					Problems.of(status, status.getReasonPhrase(),
							"The bearer token is not valid" + (description.isEmpty() ? "." : ": " + description + ".")),
					headers);
		}
		headers.set(HttpHeaders.WWW_AUTHENTICATE, REALM);
		return problems.write(exchange, Problems.of(HttpStatus.UNAUTHORIZED, "Unauthorized",
				"A bearer token is required in the Authorization header."), headers);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		String scope = requiredScope(exchange.getRequest().getMethod());
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE,
				REALM + ", error=\"insufficient_scope\"" + (scope.isBlank() ? "" : ", scope=\"" + scope + "\""));
		ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, "Forbidden",
				scope.isBlank() ? "The bearer token does not grant this request."
						: "The bearer token lacks the scope " + scope + " this request needs.");
		return problems.write(exchange, problem, headers);
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException ex) {
		if (ex instanceof AuthenticationServiceException) {
			// The key set could not be fetched: nothing is known about the token.
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, "5");
			return problems.write(exchange.getExchange(), Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
					"Service Unavailable", "Bearer tokens cannot be verified right now; retry later."), headers);
		}
		return commence(exchange.getExchange(), ex);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		// The firewall's reason may quote the request; the problem does not.
		return problems.write(exchange, Problems.of(HttpStatus.BAD_REQUEST, "Bad Request",
				"The request target is refused: it holds a path segment or character sequence that is not accepted "
						+ "(such as '..', an encoded '/' or '%', or a control character)."),
				new HttpHeaders());
	}

	private String requiredScope(HttpMethod method) {
		return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) ? properties.readScope()
				: properties.writeScope();
	}

	/**
	 * Words safe inside a quoted header parameter: no quotes, backslashes or controls.
	 */
	private static String safe(String text) {
		return (text != null) ? text.replaceAll("[^\\x20-\\x7E]|\"|\\\\", "").strip() : "";
	}

}
