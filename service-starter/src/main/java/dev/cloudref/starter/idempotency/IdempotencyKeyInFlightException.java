package dev.cloudref.starter.idempotency;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Another request with the same {@code Idempotency-Key} is in flight: a {@code 409}
 * problem detail (RFC 9457) with {@code Retry-After: 1}, as the IETF draft "The
 * Idempotency-Key HTTP Header Field" (section 2.7) says.
 */
public class IdempotencyKeyInFlightException extends ErrorResponseException {

	private static final String RETRY_AFTER_SECONDS = "1";

	/**
	 * @param key the key in flight
	 */
	public IdempotencyKeyInFlightException(String key) {
		super(HttpStatus.CONFLICT, problem(key), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
	}

	private static ProblemDetail problem(String key) {
		return Problems.of(HttpStatus.CONFLICT, "Request with this idempotency key in progress",
				"A request with Idempotency-Key " + key + " is being processed; retry after " + RETRY_AFTER_SECONDS
						+ " s to get its outcome.");
	}

}
