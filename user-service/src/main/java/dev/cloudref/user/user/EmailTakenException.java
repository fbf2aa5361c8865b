package dev.cloudref.user.user;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Another user already has this e-mail address; rendered as a {@code 409} problem
 * detail.
 */
class EmailTakenException extends ErrorResponseException {

	EmailTakenException(String email) {
		super(HttpStatus.CONFLICT, problem(email), null);
	}

	private static ProblemDetail problem(String email) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"A user with e-mail " + email + " already exists.");
		problem.setTitle("E-mail taken");
		return problem;
	}

}
