package dev.cloudref.gateway.observability;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Drops the trace context clients send (W3C {@code traceparent}, {@code tracestate},
 * {@code baggage}, Zipkin B3), so every outside request starts a new trace sampled by the
 * gateway, not the client; off with {@code gateway.tracing.accept-client-context=true}.
 */
@Component
@ConditionalOnProperty(name = "gateway.tracing.accept-client-context", havingValue = "false", matchIfMissing = true)
class ClientTraceContextRemoval implements HttpHandlerDecoratorFactory {

	/**
	 * Request headers that carry a trace context or baggage in the formats Micrometer
	 * Tracing reads.
	 */
	static final List<String> TRACE_CONTEXT_HEADERS = List.of("traceparent", "tracestate", "baggage", "b3",
			"X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

	/**
	 * Wraps the whole web handler, outside the observation that Spring's
	 * {@code HttpWebHandlerAdapter} starts: a {@code WebFilter} would run too late.
	 */
	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(withoutTraceContext(request), response);
	}

	private static ServerHttpRequest withoutTraceContext(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		if (TRACE_CONTEXT_HEADERS.stream().noneMatch(headers::containsHeader)) {
			return request;
		}
		return request.mutate().headers(mutable -> TRACE_CONTEXT_HEADERS.forEach(mutable::remove)).build();
	}

}
