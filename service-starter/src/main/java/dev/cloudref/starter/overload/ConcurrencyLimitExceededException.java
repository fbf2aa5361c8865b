package dev.cloudref.starter.overload;

import java.time.Duration;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request shed at the server's concurrency limit: a {@code 503} problem detail (RFC
 * 9457) with {@code Retry-After} (RFC 9110, section 10.2.3).
 */
public class ConcurrencyLimitExceededException extends ErrorResponseException {

	/**
	 * @param limit the limit that was reached, in requests in flight (shown in the
	 * detail)
	 * @param retryAfter when to try again; sent in whole seconds, at least 1
	 */
	public ConcurrencyLimitExceededException(int limit, Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(limit), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
	}

	private static ProblemDetail problem(int limit) {
		return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded",
				"The server is at its limit of " + limit + " requests in flight; retry after Retry-After seconds.");
	}

	/**
	 * No stack trace: raised for every shed request, in the hot path of an overloaded
	 * server.
	 */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
