package dev.cloudref.starter.web;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;

@WebFluxTest(controllers = ThrowingController.class, properties = "spring.http.codecs.max-in-memory-size=1KB")
@ExtendWith(OutputCaptureExtension.class)
class ApiExceptionHandlerTest {

	@Configuration(proxyBeanMethods = false)
	@Import({ ThrowingController.class, ApiExceptionHandler.class, UnparsableAcceptFilter.class, ProblemResponses.class,
			ProblemErrorWebExceptionHandler.class })
	static class Config {

	}

	@Autowired
	WebTestClient client;

	@Test
	void listsEachInvalidFieldOfAValidatedBody() {
		client.post()
			.uri("/test/widgets")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \" \", \"count\": 11}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.instance")
			.isEqualTo("/test/widgets")
			.jsonPath("$.errors")
			.value(hasSize(2))
			.jsonPath("$.errors[*].field")
			.value(containsInAnyOrder("name", "count"))
			.jsonPath("$.errors[?(@.field == 'count')].message")
			.value(contains("must be less than or equal to 10"));
	}

	@Test
	void listsInvalidBodyFieldsAndParametersOfAMethodThatHasBoth() {
		client.post()
			.uri("/test/tagged-widgets")
			.header("X-Tag", "NOT-lower-case")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"\", \"count\": 0}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.errors")
			.value(hasSize(3))
			.jsonPath("$.errors[*].field")
			.value(containsInAnyOrder("name", "count"))
			.jsonPath("$.errors[*].parameter")
			.value(contains("tag"));
	}

	@Test
	void answersMalformedJsonWithPlainWordsInsteadOfParserInternals() {
		byte[] body = client.post()
			.uri("/test/widgets")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"a\", \"count\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.isEqualTo("The request body is not valid JSON, or a value has the wrong type.")
			.returnResult()
			.getResponseBody();
		assertThat(new String(body)).doesNotContainIgnoringCase("jackson").doesNotContain("line:");
	}

	@Test
	void answersAValueOfTheWrongTypeInTheBodyWithBadRequest() {
		client.post()
			.uri("/test/widgets")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"a\", \"count\": \"many\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("The request body is not valid JSON, or a value has the wrong type.");
	}

	@Test
	void answersABodyOverTheCodecLimitWithContentTooLarge() {
		client.post()
			.uri("/test/widgets")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"" + "a".repeat(2000) + "\", \"count\": 1}")
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(413)
			.jsonPath("$.detail")
			.isEqualTo("The request body is larger than this service accepts.");
	}

	@Test
	void answersWithAProblemWhateverTheAcceptHeaderSays() {
		// A lone quote: found by HostileInputPropertiesIT (406/503 with an empty body).
		for (String accept : new String[] { "foo", "\"", "text/html", "application/xml", "*/*;q=0" }) {
			for (String path : new String[] { "/test/widgets/not-a-uuid", "/test/widgets?size=0", "/test/bug",
					"/test/database-down", "/test/teapot" }) {
				client.get()
					.uri(path)
					.header(HttpHeaders.ACCEPT, accept)
					.exchange()
					.expectStatus()
					.value(status -> assertThat(status).as(accept + " " + path).isBetween(400, 599))
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody(String.class)
					.value(body -> assertThat(body).as(accept + " " + path).contains("\"status\":"));
			}
		}
	}

	@Test
	void answersAResponseThatCannotBeNegotiatedWithANotAcceptableProblem() {
		client.post()
			.uri("/test/widgets")
			.header(HttpHeaders.ACCEPT, "application/problem+json; charset=utf-16")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"a\", \"count\": 1}")
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(406);
	}

	@Test
	void rejectsAPathVariableThatIsNotAUuid() {
		client.get()
			.uri("/test/widgets/not-a-uuid")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.instance")
			.isEqualTo("/test/widgets/not-a-uuid");
	}

	@Test
	void rejectsABlankPathVariableWithBadRequestNotAServerError() {
		client.get()
			.uri(URI.create("/test/widgets/%20"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("The path variable 'id' is not valid.");
	}

	@Test
	void listsEachInvalidRequestParameter() {
		client.get()
			.uri("/test/widgets?size=0")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(1)
			.jsonPath("$.errors[0].parameter")
			.isEqualTo("size")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be greater than or equal to 1");
	}

	@Test
	void keepsStatusHeadersAndBodyOfAnErrorResponseException() {
		client.get()
			.uri("/test/teapot")
			.exchange()
			.expectStatus()
			.isEqualTo(418)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals("X-Brew", "earl-grey")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(418)
			.jsonPath("$.title")
			.isEqualTo("Teapot")
			.jsonPath("$.detail")
			.isEqualTo("Only tea here.");
	}

	@Test
	void mapsAnUnreachableDatabaseToServiceUnavailableWithRetryAfter() {
		String body = expectProblem("/test/database-down", 503).expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"title\":\"Database unavailable\"").doesNotContain(ThrowingController.SECRET);
	}

	@Test
	void mapsATransientDatabaseFailureToServiceUnavailableWithRetryAfter() {
		expectProblem("/test/database-slow", 503).expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Database unavailable");
	}

	@Test
	void mapsAnUnhandledIntegrityViolationToConflictWithoutItsMessage() {
		String body = expectProblem("/test/conflict", 409).expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"title\":\"Conflict\"")
			.contains("\"detail\":\"The request conflicts with stored data.\"")
			.doesNotContain(ThrowingController.SECRET);
	}

	@Test
	void answersAnUnexpectedErrorWithAGenericProblemThatRevealsNothing() {
		String body = expectProblem("/test/bug", 500).expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"title\":\"Internal error\"")
			.contains("\"detail\":\"The request could not be processed.\"")
			.doesNotContain(ThrowingController.SECRET)
			.doesNotContain("IllegalStateException")
			.doesNotContain("trace")
			.doesNotContain("at dev.cloudref");
	}

	@Test
	void answersAnExceptionThrownOutsideTheReactivePipelineTheSameWay() {
		String body = expectProblem("/test/bug-thrown", 500).expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"detail\":\"The request could not be processed.\"")
			.doesNotContain(ThrowingController.SECRET)
			.doesNotContain("NullPointerException");
	}

	@Test
	void aClientThatWentAwayIsNeitherAnErrorInTheLogNorAProblem(CapturedOutput output) {
		client.get().uri("/test/client-gone").exchange().expectStatus().isOk().expectBody().isEmpty();
		client.get().uri("/test/bug").exchange().expectStatus().isEqualTo(500);

		assertThat(output).contains("Unhandled error on GET /test/bug")
			.doesNotContain("Unhandled error on GET /test/client-gone")
			.doesNotContain("AbortedException");
	}

	@Test
	void answersAnUnknownPathWithANotFoundProblem() {
		expectProblem("/test/nothing-here", 404);
	}

	private WebTestClient.ResponseSpec expectProblem(String path, int status) {
		return client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
