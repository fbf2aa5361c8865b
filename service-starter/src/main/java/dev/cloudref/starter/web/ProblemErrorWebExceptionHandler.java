package dev.cloudref.starter.web;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Last resort for errors that {@link ApiExceptionHandler} never sees, such as a
 * response that cannot be negotiated ({@code Accept: application/problem+json;
 * charset=utf-16} on a JSON resource): they are written as a problem detail in JSON
 * whatever the request accepts, instead of Spring Boot's default error body. Runs
 * before Spring Boot's handler ({@code -2} vs {@code -1}).
 */
public class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

	private static final ResolvableType PROBLEM = ResolvableType.forClass(ProblemDetail.class);

	private final List<HttpMessageWriter<?>> writers;

	/**
	 * @param codecs the application's codecs, whose JSON writer renders the problem
	 */
	public ProblemErrorWebExceptionHandler(ServerCodecConfigurer codecs) {
		this.writers = codecs.getWriters();
	}

	@Override
	public int getOrder() {
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		response.getHeaders().clear();
		if (ex instanceof ErrorResponse errorResponse) {
			response.getHeaders().addAll(errorResponse.getHeaders());
			response.setStatusCode(errorResponse.getStatusCode());
			return write(errorResponse.getBody(), response);
		}
		response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
		return TraceLogging
			.logged(() -> log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), ex))
			.then(write(internalError(), response));
	}

	private static ProblemDetail internalError() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The request could not be processed.");
		problem.setTitle("Internal error");
		return problem;
	}

	@SuppressWarnings("unchecked")
	private Mono<Void> write(ProblemDetail problem, ServerHttpResponse response) {
		for (HttpMessageWriter<?> writer : writers) {
			if (writer.canWrite(PROBLEM, MediaType.APPLICATION_PROBLEM_JSON)) {
				return ((HttpMessageWriter<ProblemDetail>) writer).write(Mono.just(problem), PROBLEM,
						MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
			}
		}
		return response.setComplete();
	}

}
