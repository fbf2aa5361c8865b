package dev.cloudref.gateway.tls;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Adds {@code Strict-Transport-Security} (RFC 6797) from {@link HstsProperties} to every
 * response sent over TLS, never over plain HTTP such as the management port (RFC 6797
 * §7.2); {@code gateway.hsts.enabled=false} removes the filter.
 */
@Component
@ConditionalOnProperty(name = "gateway.hsts.enabled", matchIfMissing = true)
class StrictTransportSecurityFilter implements WebFilter, Ordered {

	static final String HEADER = "Strict-Transport-Security";

	private final String value;

	StrictTransportSecurityFilter(HstsProperties properties) {
		this.value = properties.headerValue();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getSslInfo() != null) {
			exchange.getResponse().beforeCommit(() -> {
				// At commit, so that error handlers that reset the headers cannot drop
				// it.
				exchange.getResponse().getHeaders().set(HEADER, value);
				return Mono.empty();
			});
		}
		return chain.filter(exchange);
	}

}
