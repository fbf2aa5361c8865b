package dev.cloudref.starter.idempotency;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The {@code Idempotency-Key} was already used for a request with a different body;
 * rendered as a {@code 422} problem detail (RFC 9457), as the IETF draft "The
 * Idempotency-Key HTTP Header Field" (section 2.7) says.
 */
public class IdempotencyKeyReusedException extends ErrorResponseException {

	/**
	 * @param key the reused key
	 */
	public IdempotencyKeyReusedException(String key) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
				"Idempotency-Key " + key + " was already used for a different request body."), null);
	}

}
