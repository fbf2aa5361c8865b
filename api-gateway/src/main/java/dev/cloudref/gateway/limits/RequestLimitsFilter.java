package dev.cloudref.gateway.limits;

import java.net.URI;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.web.Problems;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Enforces {@link LimitsProperties} before authentication: a target, header block or body
 * over its limit gets {@code 414}, {@code 431} (RFC 6585) or {@code 413} (RFC 9110) as a
 * problem detail; a body without {@code Content-Length} is counted as it streams.
 */
@Component
public class RequestLimitsFilter implements WebFilter, Ordered {

	private final LimitsProperties limits;

	RequestLimitsFilter(LimitsProperties limits) {
		this.limits = limits;
	}

	@Override
	public int getOrder() {
		// Before authentication: an oversized request is refused without any work.
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (targetLength(request.getURI()) > limits.maxUriLength().toBytes()) {
			return Mono.error(problem(HttpStatus.URI_TOO_LONG, "URI too long",
					"The request target is longer than " + limits.maxUriLength().toBytes() + " bytes."));
		}
		if (headerSize(request.getHeaders()) > limits.maxHeaderSize().toBytes()) {
			return Mono.error(problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request header fields too large",
					"The request header fields are larger than " + limits.maxHeaderSize().toBytes() + " bytes."));
		}
		long maxBody = limits.maxBodySize().toBytes();
		if (request.getHeaders().getContentLength() > maxBody) {
			return Mono.error(bodyTooLarge(maxBody));
		}
		ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return limit(super.getBody(), maxBody);
			}
		};
		return chain.filter(exchange.mutate().request(limited).build());
	}

	/**
	 * @return the length of path and query as the client sent them (percent-encoded)
	 */
	static long targetLength(URI uri) {
		String path = uri.getRawPath();
		String query = uri.getRawQuery();
		return ((path != null) ? path.length() : 0) + ((query != null) ? query.length() + 1 : 0);
	}

	/**
	 * @return the size of the header fields as HTTP/1.1 writes them,
	 * {@code name: value CRLF} each
	 */
	static long headerSize(HttpHeaders headers) {
		long size = 0;
		for (Map.Entry<String, List<String>> header : headers.headerSet()) {
			for (String value : header.getValue()) {
				size += header.getKey().length() + 2 + value.length() + 2;
			}
		}
		return size;
	}

	/**
	 * @return the body, failing with 413 once more than {@code maxBytes} have passed
	 */
	static Flux<DataBuffer> limit(Flux<DataBuffer> body, long maxBytes) {
		return Flux.defer(() -> {
			long[] seen = { 0 };
			return body.handle((buffer, sink) -> {
				seen[0] += buffer.readableByteCount();
				if (seen[0] > maxBytes) {
					DataBufferUtils.release(buffer);
					sink.error(bodyTooLarge(maxBytes));
				}
				else {
					sink.next(buffer);
				}
			});
		});
	}

	private static ErrorResponseException bodyTooLarge(long maxBytes) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large",
				"The request body is larger than " + maxBytes + " bytes.");
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = Problems.of(status, title, detail);
		return new ErrorResponseException(status, problem, null);
	}

}
