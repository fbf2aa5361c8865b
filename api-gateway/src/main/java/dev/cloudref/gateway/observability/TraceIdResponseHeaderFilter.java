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
 * Returns the request's W3C Trace Context trace-id in the {@value #TRACE_ID_HEADER}
 * header of every response, errors included, so a user can find the request in Zipkin and
 * in the logs.
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
				// At commit, so that error handlers that reset the headers cannot drop
				// it.
				exchange.getResponse().getHeaders().set(TRACE_ID_HEADER, traceId);
				return Mono.empty();
			}));
		return chain.filter(exchange);
	}

}
