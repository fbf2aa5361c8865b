package dev.cloudref.user.user;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No user has the requested id; rendered as a {@code 404} problem detail.
 */
public class UserNotFoundException extends ErrorResponseException {

	/**
	 * @param id the id that was looked up
	 */
	public UserNotFoundException(UUID id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(UUID id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No user with id " + id + ".");
		problem.setTitle("User not found");
		return problem;
	}

}
