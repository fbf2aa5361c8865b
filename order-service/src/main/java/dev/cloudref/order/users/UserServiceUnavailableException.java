package dev.cloudref.order.users;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * user-service could not answer (down, too slow, or its circuit breaker is open), so an
 * order cannot be checked; rendered as {@code 503} with {@code Retry-After}.
 */
public class UserServiceUnavailableException extends ErrorResponseException {

	private static final String RETRY_AFTER_SECONDS = "5";

	/**
	 * @param cause why the call failed
	 */
	public UserServiceUnavailableException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(), cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"user-service is unavailable, so the order's user cannot be checked; nothing was stored.");
		problem.setTitle("User service unavailable");
		return problem;
	}

}
