package dev.cloudref.order.order;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The order feature's errors, each rendered as an RFC 9457 problem detail.
 */
final class OrderProblems {

	private OrderProblems() {
	}

	static ErrorResponseException orderNotFound(UUID id) {
		return problem(HttpStatus.NOT_FOUND, "Order not found", "No order with id " + id + ".");
	}

	static ErrorResponseException unknownUser(UUID userId) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown user", "No user with id " + userId + ".");
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
