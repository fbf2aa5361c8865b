package ${package}.${resource};

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No ${resource} has the requested id; rendered as a {@code 404} problem detail (RFC 9457).
 */
public class ${Resource}NotFoundException extends ErrorResponseException {

	/**
	 * @param id the id that was looked up
	 */
	public ${Resource}NotFoundException(UUID id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(UUID id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No ${resource} with id " + id + ".");
		problem.setTitle("${Resource} not found");
		return problem;
	}

}
