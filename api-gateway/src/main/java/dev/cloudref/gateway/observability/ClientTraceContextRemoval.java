package dev.cloudref.gateway.observability;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Drops the trace context that clients send (W3C Trace Context {@code traceparent} and
 * {@code tracestate}, W3C {@code baggage}, Zipkin B3 in its single and multi-header
 * forms) before the gateway's server observation reads it, so that every request from
 * outside starts a new trace at the gateway and is sampled by the gateway's own
 * {@code management.tracing.sampling.probability}. Otherwise a client could force
 * every span of its requests to be recorded and exported (a {@code traceparent} with
 * the sampled flag), join its requests to another trace, or put baggage into the
 * services' context.
 *
 * <p>An {@link HttpHandlerDecoratorFactory}: it wraps the whole web handler, outside
 * the observation that Spring's {@code HttpWebHandlerAdapter} starts, which a
 * {@code WebFilter} would be too late for. Off with
 * {@code gateway.tracing.accept-client-context=true}, for a gateway whose clients are
 * trusted services that continue their own traces through it.
 */
@Component
@ConditionalOnProperty(name = "gateway.tracing.accept-client-context", havingValue = "false", matchIfMissing = true)
class ClientTraceContextRemoval implements HttpHandlerDecoratorFactory {

	/** Request headers that carry a trace context or baggage in the formats Micrometer Tracing reads. */
	static final List<String> TRACE_CONTEXT_HEADERS = List.of("traceparent", "tracestate", "baggage", "b3",
			"X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

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
