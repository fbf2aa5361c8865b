package dev.cloudref.gateway.observability;

import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Returns the id of the request's trace to the client in the {@value #TRACE_ID_HEADER}
 * response header (32 lower-case hex digits, the W3C Trace Context trace-id), so that a
 * user can look the request up in Zipkin and find its log lines. Set on every response,
 * errors and 401s included.
 */
@Component
public class TraceIdResponseHeaderFilter implements WebFilter, Ordered {

	/** Response header that carries the trace id. */
	public static final String TRACE_ID_HEADER = "X-Trace-Id";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map(context -> context.<TracingContext>get(TracingContext.class))
			.filter(tracing -> tracing.getSpan() != null)
			.map(tracing -> tracing.getSpan().context().traceId())
			.ifPresent(traceId -> exchange.getResponse().beforeCommit(() -> {
				// At commit, so that error handlers that reset the headers cannot drop it.
				exchange.getResponse().getHeaders().set(TRACE_ID_HEADER, traceId);
				return Mono.empty();
			}));
		return chain.filter(exchange);
	}

}
