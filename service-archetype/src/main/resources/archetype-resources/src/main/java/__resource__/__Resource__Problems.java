package ${package}.${resource};

import java.util.UUID;

import dev.cloudref.starter.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The ${resource} feature's errors, each rendered as an RFC 9457 problem detail.
 */
final class ${Resource}Problems {

	private ${Resource}Problems() {
	}

	/**
	 * @return 404: no ${resource} has the id
	 */
	static ErrorResponseException notFound(UUID id) {
		return problem(HttpStatus.NOT_FOUND, "${Resource} not found", "No ${resource} with id " + id + ".");
	}

	/**
	 * @return 422: the request is well-formed, but user-service knows no such owner
	 */
	static ErrorResponseException unknownOwner(UUID ownerId) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown owner",
				"No user with id " + ownerId + "; nothing was stored.");
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = Problems.of(status, title, detail);
		return new ErrorResponseException(status, problem, null);
	}

}
