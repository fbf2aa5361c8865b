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
	 * Sends a {@code GET} and asserts a problem detail with the given status.
	 * @param client the client of the application under test
	 * @param status the expected HTTP status code
	 * @param uriTemplate the path, with {@code {name}} variables
	 * @param uriVariables the variables' values, in order
	 * @return the body, for further assertions on its members
	 */
	public static WebTestClient.BodyContentSpec expectGetProblem(WebTestClient client, int status, String uriTemplate,
			Object... uriVariables) {
		return expectProblem(client.get().uri(uriTemplate, uriVariables).exchange(), status);
	}

	/**
	 * Sends a {@code POST} with a JSON body and asserts a problem detail with the given
	 * status.
	 * @param client the client of the application under test
	 * @param status the expected HTTP status code
	 * @param uri the path
	 * @param body the body as {@code application/json}: an object is encoded, a
	 * {@code String} sent as it is, whether it parses or not
	 * @return the body of the response, for further assertions on its members
	 */
	public static WebTestClient.BodyContentSpec expectPostProblem(WebTestClient client, int status, String uri,
			Object body) {
		return expectProblem(client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
				status);
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
