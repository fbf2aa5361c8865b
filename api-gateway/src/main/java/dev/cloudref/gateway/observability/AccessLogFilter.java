package dev.cloudref.gateway.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.observability.DefaultSignalListener;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import dev.cloudref.gateway.security.ApiKeyAuthenticationFilter;

import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Writes one access log line per public-port request when its response completes (method,
 * path without query, status, API key id, duration in ms), at INFO on logger
 * {@code dev.cloudref.gateway.access}, with the trace and span ids.
 */
@Component
public class AccessLogFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger("dev.cloudref.gateway.access");

	private final Environment environment;

	/**
	 * The management server's port once it is known (it is set when that server starts).
	 */
	private volatile Integer managementPort;

	AccessLogFilter(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!log.isInfoEnabled() || isManagementRequest(exchange)) {
			return chain.filter(exchange);
		}
		long start = System.nanoTime();
		ServerHttpRequest request = exchange.getRequest();
		// tap, not doFinally: Reactor restores the request's trace context around a tap
		// listener's callbacks (TraceLogging), so the line carries the trace id.
		return chain.filter(exchange).tap(() -> new DefaultSignalListener<>() {
			@Override
			public void doFinally(SignalType terminationType) {
				logLine(exchange, request, start);
			}
		});
	}

	private static void logLine(ServerWebExchange exchange, ServerHttpRequest request, long startNanos) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		Object keyId = exchange.getAttribute(ApiKeyAuthenticationFilter.KEY_ID_ATTRIBUTE);
		log.info("{} {} {} key={} {}ms", request.getMethod(), request.getPath().value(),
				(status != null) ? status.value() : "-", (keyId != null) ? keyId : "none",
				(System.nanoTime() - startNanos) / 1_000_000);
	}

	/** Health checks and scrapes on the management port are not client traffic. */
	private boolean isManagementRequest(ServerWebExchange exchange) {
		Integer port = managementPort;
		if (port == null) {
			port = environment.getProperty("local.management.port", Integer.class);
			managementPort = port;
		}
		return port != null && exchange.getRequest().getLocalAddress() != null
				&& exchange.getRequest().getLocalAddress().getPort() == port;
	}

}
