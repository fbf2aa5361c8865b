package dev.cloudref.starter.web;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The one way this project makes an RFC 9457 problem detail: status, a short title that
 * names the kind of problem, and a detail that says what happened to this request.
 */
public final class Problems {

	private Problems() {
	}

	/**
	 * @param status the HTTP status (also the problem's {@code status} member)
	 * @param title short and the same for every occurrence of this kind of problem, e.g.
	 * {@code Too many requests}
	 * @param detail about this occurrence, for the client; never a stack trace
	 * @return the problem ({@code type} is {@code about:blank}, {@code instance} unset)
	 */
	public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
