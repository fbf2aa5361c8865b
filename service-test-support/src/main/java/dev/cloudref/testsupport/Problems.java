package dev.cloudref.testsupport;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Assertions on error responses: RFC 9457 problem details
 * ({@code application/problem+json}) with the right status.
 */
public final class Problems {

	private Problems() {
	}

	/**
	 * Asserts a problem detail with the given status in both the HTTP status and the
	 * body's {@code status} member.
	 * @param response an exchanged request
	 * @param status the expected HTTP status code
	 * @return the body, for further assertions on its members
	 */
	public static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status);
	}

	/**
	 * Asserts a problem detail with the given status and a {@code Retry-After} header
	 * (RFC 9110, section 10.2.3) in seconds.
	 * @param response an exchanged request
	 * @param status the expected HTTP status code
	 * @param retryAfterSeconds the expected {@code Retry-After} value, e.g. {@code "1"}
	 * @return the body, for further assertions on its members
	 */
	public static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status,
			String retryAfterSeconds) {
		response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
		return expectProblem(response, status);
	}

	/**
	 * Asserts a {@code 503} problem with {@code Retry-After: 5} (service-starter's
	 * {@code DependencyUnavailableException}).
	 * @param response an exchanged request
	 * @return the body, for further assertions on its members
	 */
	public static WebTestClient.BodyContentSpec expectDependencyUnavailable(WebTestClient.ResponseSpec response) {
		return expectProblem(response, 503, "5");
	}

}
