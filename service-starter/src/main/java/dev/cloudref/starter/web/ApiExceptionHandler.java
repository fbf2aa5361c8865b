package dev.cloudref.starter.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;

import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Renders every error of a service as an RFC 9457 problem detail: on top of Spring's
 * {@link ResponseEntityExceptionHandler}, an unreachable database is {@code 503}, an
 * unanticipated integrity violation {@code 409}, and anything else a {@code 500}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	// A client that went away (a health probe past its timeout, a curl that was stopped)
	// is not a server error: one DEBUG line, the stack trace at TRACE.
	private static final DisconnectedClientHelper disconnectedClient = new DisconnectedClientHelper(
			ApiExceptionHandler.class.getName() + ".DisconnectedClient");

	/** Seconds a client should wait before retrying after a 503. */
	static final String RETRY_AFTER_SECONDS = "5";

	/**
	 * Maps a database that is down or timing out to {@code 503 Service Unavailable}.
	 * @param ex the data-access failure
	 * @return a 503 problem detail with {@code Retry-After: 5}
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class })
	public Mono<ResponseEntity<ProblemDetail>> handleDatabaseUnavailable(Exception ex) {
		ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
				"The service cannot reach its database; try again shortly.");
		return TraceLogging.loggedThen(() -> log.warn("Database unavailable: {}", ex.getMessage()),
				ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
					.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
					.body(problem));
	}

	/**
	 * Maps a constraint violation that the feature code did not translate itself to
	 * {@code 409 Conflict}; nothing was written.
	 * @param ex the violation
	 * @return a 409 problem detail
	 */
	@ExceptionHandler(DataIntegrityViolationException.class)
	public Mono<ResponseEntity<ProblemDetail>> handleIntegrityViolation(DataIntegrityViolationException ex) {
		return TraceLogging.loggedThen(
				() -> log.info("Integrity violation: {}", ex.getMostSpecificCause().getMessage()),
				ResponseEntity.status(HttpStatus.CONFLICT)
					.body(Problems.of(HttpStatus.CONFLICT, "Conflict", "The request conflicts with stored data.")));
	}

	/**
	 * A query parameter (or other part of the request) that Spring Security's firewall
	 * refuses when the handler reads it, e.g. a control character in a parameter name:
	 * the client's fault, so {@code 400}, without quoting the request.
	 * @param ex the firewall's refusal
	 * @return a 400 problem detail
	 */
	@ExceptionHandler(ServerExchangeRejectedException.class)
	public ResponseEntity<ProblemDetail> handleRejectedExchange(ServerExchangeRejectedException ex) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "Bad Request",
					"The request holds a parameter or header that is not accepted (such as a control character)."));
	}

	/**
	 * Last resort: logs the exception and answers {@code 500} without any detail of it. A
	 * client that disconnected before the answer (Spring's
	 * {@link DisconnectedClientHelper#isClientDisconnectedException}) gets nothing, since
	 * there is no one to answer, and is logged at DEBUG only.
	 * @param ex anything not handled more specifically
	 * @param exchange the current exchange, for the log line
	 * @return a 500 problem detail, or empty for a disconnected client
	 */
	@ExceptionHandler(Exception.class)
	public Mono<ResponseEntity<ProblemDetail>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		if (disconnectedClient.checkAndLogClientDisconnectedException(ex)) {
			return Mono.empty();
		}
		return TraceLogging.loggedThen(
				() -> log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath(), ex),
				ResponseEntity.internalServerError()
					.body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
							"The request could not be processed.")));
	}

	/**
	 * Adds the rejected fields to a body that failed Bean Validation, as an
	 * {@code errors} array of {@code {field, message}} objects.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Map<String, String>> errors = ex.getFieldErrors()
			.stream()
			.map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
			.toList();
		ex.getBody().setDetail("The request body has " + errors.size() + " invalid field(s).");
		ex.getBody().setProperty("errors", errors);
		return super.handleWebExchangeBindException(ex, headers, status, exchange);
	}

	/**
	 * Adds what was rejected as an {@code errors} array: {@code {field, message}} for
	 * fields of a {@code @Valid} body (Spring reports those here when the controller
	 * method also has constrained parameters), {@code {parameter, message}} for query,
	 * path and header parameters.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Map<String, String>> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap(ApiExceptionHandler::describe)
			.toList();
		ex.getBody().setDetail("The request has " + errors.size() + " invalid value(s).");
		ex.getBody().setProperty("errors", errors);
		return super.handleHandlerMethodValidationException(ex, headers, status, exchange);
	}

	private static Stream<Map<String, String>> describe(ParameterValidationResult result) {
		if (result instanceof ParameterErrors bean) {
			return bean.getFieldErrors()
				.stream()
				.map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
		}
		String parameter = String.valueOf(result.getMethodParameter().getParameterName());
		return result.getResolvableErrors()
			.stream()
			.map(error -> Map.of("parameter", parameter, "message", String.valueOf(error.getDefaultMessage())));
	}

	/**
	 * Says in plain words what is wrong with a body that could not be read, without
	 * echoing parser internals.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		if (ex.getMethodParameter() != null && ex.getMethodParameter().hasParameterAnnotation(RequestBody.class)) {
			ex.getBody().setDetail("The request body is not valid JSON, or a value has the wrong type.");
		}
		return super.handleServerWebInputException(ex, headers, status, exchange);
	}

	/**
	 * Answers a path variable that converts to nothing (e.g. {@code /users/%20} for a
	 * UUID) with {@code 400}: Spring reports it as a missing path variable, a
	 * {@code 500}, but the route matched, so the client sent a value and it was not
	 * valid.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerErrorException(ServerErrorException ex, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		MethodParameter parameter = ex.getMethodParameter();
		if (parameter != null && parameter.hasParameterAnnotation(PathVariable.class)) {
			ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "Bad Request",
					"The path variable '" + parameter.getParameterName() + "' is not valid.");
			return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
		}
		return super.handleServerErrorException(ex, headers, status, exchange);
	}

	/**
	 * Says that a request body was over the limit
	 * ({@code spring.http.codecs.max-in-memory-size}, which WebFlux reports as
	 * {@link ContentTooLargeException}) instead of answering {@code 413} without a
	 * detail.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		if (ex instanceof ContentTooLargeException) {
			ex.getBody().setDetail("The request body is larger than this service accepts.");
		}
		return super.handleResponseStatusException(ex, headers, status, exchange);
	}

}
