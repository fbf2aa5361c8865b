package dev.cloudref.user.user;

import java.util.UUID;

import dev.cloudref.starter.web.Problems;

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
		return Problems.of(HttpStatus.NOT_FOUND, "User not found", "No user with id " + id + ".");
	}

}
