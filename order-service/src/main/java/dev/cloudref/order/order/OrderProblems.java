package dev.cloudref.order.order;

import java.util.UUID;

import dev.cloudref.starter.web.Problems;

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
		ProblemDetail problem = Problems.of(status, title, detail);
		return new ErrorResponseException(status, problem, null);
	}

}
