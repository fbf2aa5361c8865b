package dev.cloudref.starter.client;

import java.time.Duration;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A service this one depends on could not answer (down, too slow, bulkhead full or
 * circuit breaker open): a {@code 503} problem detail (RFC 9457) with {@code Retry-After}
 * (RFC 9110, section 10.2.3). Throw it from a client's fallback.
 */
public class DependencyUnavailableException extends ErrorResponseException {

	/** How long clients are asked to wait: about one circuit-breaker open interval. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	/**
	 * @param title the problem's title, short and the same for every occurrence
	 * @param detail what could not be done because of the dependency, for the client
	 * @param cause why the call failed (logged, never sent to the client)
	 */
	public DependencyUnavailableException(String title, String detail, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(title, detail), cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER.toSeconds()));
	}

	private static ProblemDetail problem(String title, String detail) {
		return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, title, detail);
	}

}
