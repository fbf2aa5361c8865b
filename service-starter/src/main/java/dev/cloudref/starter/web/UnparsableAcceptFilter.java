package dev.cloudref.starter.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Disregards an {@code Accept} header that is not a list of media types (e.g.
 * {@code Accept: foo}), as RFC 9110 §12.5.1 allows, so that errors are still answered
 * with a problem detail rather than an empty body.
 */
public class UnparsableAcceptFilter implements WebFilter, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isParsable(exchange.getRequest().getHeaders())) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate()
			.request(request -> request.headers(headers -> headers.remove(HttpHeaders.ACCEPT)))
			.build());
	}

	/**
	 * @return whether the {@code Accept} header (if any) parses as media types the way
	 * content negotiation reads it ({@link HttpHeaders#getAccept()}); {@code foo} and a
	 * lone {@code "} do not
	 */
	static boolean isParsable(HttpHeaders headers) {
		try {
			headers.getAccept();
			return true;
		}
		catch (IllegalArgumentException ex) {
			// InvalidMediaTypeException, or a tokenizer's own complaint
			return false;
		}
	}

}
