package dev.cloudref.user.orders;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * order-service could not answer (down, too slow, or its circuit breaker is open);
 * rendered as {@code 503} with {@code Retry-After}.
 */
class OrdersUnavailableException extends ErrorResponseException {

	private static final String RETRY_AFTER_SECONDS = "5";

	OrdersUnavailableException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(), cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"order-service is unavailable; the user's orders cannot be listed right now.");
		problem.setTitle("Orders unavailable");
		return problem;
	}

}
