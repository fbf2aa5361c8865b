package dev.cloudref.user.user;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Another user already has this e-mail address; rendered as a {@code 409} problem detail.
 */
class EmailTakenException extends ErrorResponseException {

	EmailTakenException(String email) {
		super(HttpStatus.CONFLICT, problem(email), null);
	}

	private static ProblemDetail problem(String email) {
		return Problems.of(HttpStatus.CONFLICT, "E-mail taken", "A user with e-mail " + email + " already exists.");
	}

}
