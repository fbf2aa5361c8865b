package dev.cloudref.starter.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes an RFC 9457 problem detail as the response of an exchange, with the
 * application's configured codecs. Used where an application answers by itself (web
 * filters, {@link ProblemErrorWebExceptionHandler}) rather than from a handler method.
 */
public class ProblemResponses {

	private final ServerResponse.Context context;

	/**
	 * @param codecs the application's codecs; their writers render the problem as
	 * {@code application/problem+json}
	 */
	public ProblemResponses(ServerCodecConfigurer codecs) {
		List<HttpMessageWriter<?>> writers = codecs.getWriters();
		this.context = new ServerResponse.Context() {
			@Override
			public List<HttpMessageWriter<?>> messageWriters() {
				return writers;
			}

			@Override
			public List<ViewResolver> viewResolvers() {
				return List.of();
			}
		};
	}

	/**
	 * Writes {@code problem} as {@code application/problem+json}, with its status.
	 * @param exchange the exchange to answer; its response must not be committed
	 * @param problem the problem; its {@code instance} is set to the request path if
	 * absent (and left out if that path is no relative reference, such as {@code //})
	 * @param headers extra response headers (e.g. {@code Retry-After},
	 * {@code WWW-Authenticate}); may be empty
	 * @return completes when the response is written
	 */
	public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
		if (problem.getInstance() == null) {
			problem.setInstance(instance(exchange.getRequest().getURI().getRawPath()));
		}
		return ServerResponse.status(problem.getStatus())
			.headers(h -> h.addAll(headers))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problem)
			.flatMap(response -> response.writeTo(exchange, context));
	}

	/**
	 * @return the path as a relative URI reference, or null for one that is not (e.g.
	 * {@code //x})
	 */
	static URI instance(String rawPath) {
		try {
			URI uri = new URI(rawPath);
			return (uri.getScheme() == null && uri.getAuthority() == null) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
