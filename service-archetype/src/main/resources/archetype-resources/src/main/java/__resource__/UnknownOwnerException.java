package ${package}.${resource};

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The owner named in a request is not a user that user-service knows; rendered as a
 * {@code 422} problem detail (RFC 9457): the request is well-formed, its content is not
 * acceptable.
 */
public class UnknownOwnerException extends ErrorResponseException {

	/**
	 * @param ownerId the owner id of the request
	 */
	public UnknownOwnerException(UUID ownerId) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, problem(ownerId), null);
	}

	private static ProblemDetail problem(UUID ownerId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"No user with id " + ownerId + "; nothing was stored.");
		problem.setTitle("Unknown owner");
		return problem;
	}

}
