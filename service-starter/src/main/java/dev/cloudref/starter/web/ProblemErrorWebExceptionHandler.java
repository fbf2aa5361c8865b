package dev.cloudref.starter.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The last-resort error handler of the gateway and every service: any error, after
 * {@link ProblemMapper} beans are asked, is answered as an RFC 9457 problem detail in
 * JSON, never a stack trace; a client that went away gets nothing and counts as 499.
 */
public class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

	/** nginx's "client closed request": no response was possible. */
	private static final HttpStatusCode CLIENT_CLOSED_REQUEST = HttpStatusCode.valueOf(499);

	private final ProblemResponses problems;

	private final List<ProblemMapper> mappers;

	/**
	 * @param problems writes the problem
	 * @param mappers the application's mappers (possibly none), asked in their order
	 * before the defaults
	 */
	public ProblemErrorWebExceptionHandler(ProblemResponses problems, ObjectProvider<ProblemMapper> mappers) {
		this.problems = problems;
		this.mappers = mappers.orderedStream().toList();
	}

	/** Runs before Spring Boot's own error handler ({@code -1}). */
	@Override
	public int getOrder() {
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof AbortedException) {
			log.debug("Client went away during {} {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath());
			exchange.getResponse().setStatusCode(CLIENT_CLOSED_REQUEST);
			return Mono.empty();
		}
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		HttpHeaders headers = new HttpHeaders();
		// Inside handle, log lines carry the request's trace id (TraceLogging).
		return Mono.just(ex)
			.<ProblemDetail>handle((error, sink) -> sink.next(toProblem(exchange, error, headers)))
			.flatMap(problem -> {
				exchange.getResponse().getHeaders().clear();
				return problems.write(exchange, problem, headers);
			});
	}

	private ProblemDetail toProblem(ServerWebExchange exchange, Throwable ex, HttpHeaders headers) {
		for (ProblemMapper mapper : mappers) {
			ProblemDetail problem = mapper.map(exchange, ex, headers);
			if (problem != null) {
				return problem;
			}
		}
		if (ex instanceof ErrorResponse response) {
			headers.addAll(response.getHeaders());
			return response.getBody();
		}
		log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The request could not be processed.");
	}

}
