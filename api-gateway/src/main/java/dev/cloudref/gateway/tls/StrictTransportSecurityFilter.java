package dev.cloudref.gateway.tls;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Adds {@code Strict-Transport-Security} (RFC 6797) to every response the gateway sends
 * over TLS, problem details and the Swagger UI included; never to plain HTTP (RFC 6797
 * section 7.2: a host must not send it there), such as the management port. The value
 * comes from {@link HstsProperties}; {@code gateway.hsts.enabled=false} removes the
 * filter.
 *
 * <p>Browsers act on the header only over a connection without certificate errors, so a
 * self-signed certificate that the browser does not trust is unaffected. (Spring
 * Security's HSTS header writer does the same job; the gateway has no Spring Security
 * yet, and this filter is the only piece it would need of it.)
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
				// At commit, so that error handlers that reset the headers cannot drop it.
				exchange.getResponse().getHeaders().set(HEADER, value);
				return Mono.empty();
			});
		}
		return chain.filter(exchange);
	}

}
