package ${package};

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.FakeService;
import dev.cloudref.testsupport.Problems;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on an embedded H2 database, with user-service played by a
 * {@link FakeService} that the real load-balanced client finds through Spring Cloud's
 * simple discovery client (no registry needed).
 */
class ApplicationTest extends AbstractServiceTest {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	static final FakeService userService = new FakeService("user-service");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.of(userService);

	/**
	 * Users that the fake user-service knows; it answers 404 for any other id.
	 */
	static final Set<UUID> knownUsers = ConcurrentHashMap.newKeySet();

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@BeforeEach
	void userServiceAnswers() throws InterruptedException {
		userService.reset(ApplicationTest::answerAsUserService);
		circuitBreakers.circuitBreaker("user-service").reset();
	}

	@Test
	void createsAndReadsAnOwnedResource() {
		UUID owner = knownUser();

		Map<String, Object> created = create(Map.of("name", "  first  ", "ownerId", owner), null).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();

		assertThat(created).containsEntry("name", "first").containsEntry("ownerId", owner.toString());
		String id = (String) created.get("id");
		client.get().uri("/${resources}/{id}", id).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(created);
		client.get()
			.uri("/${resources}?ownerId={owner}", owner)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[0].id")
			.isEqualTo(id)
			.jsonPath("$.totalElements")
			.isEqualTo(1);
	}

	@Test
	void answersWithARelativeLocation() {
		create(Map.of("name", "located", "ownerId", knownUser()), null).expectStatus()
			.isCreated()
			.expectHeader()
			.value(HttpHeaders.LOCATION, location -> assertThat(location).matches("/${resources}/[0-9a-f-]{36}"));
	}

	@Test
	void createsOnceForARepeatedIdempotencyKey() {
		Map<String, Object> body = Map.of("name", "once", "ownerId", knownUser());
		String key = UUID.randomUUID().toString();

		Map<String, Object> first = create(body, key).expectStatus().isCreated().expectBody(JSON_OBJECT).returnResult()
			.getResponseBody();
		Map<String, Object> repeat = create(body, key).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();

		assertThat(repeat).isEqualTo(first);
		Problems.expectProblem(create(Map.of("name", "other", "ownerId", knownUser()), key), 422);
	}

	@Test
	void refusesAnUnknownOwnerAndStoresNothing() {
		UUID stranger = UUID.randomUUID();

		Problems.expectPostProblem(client, 422, "/${resources}", Map.of("name", "orphan", "ownerId", stranger))
			.jsonPath("$.title")
			.isEqualTo("Unknown owner");
		client.get().uri("/${resources}?ownerId={owner}", stranger).exchange().expectBody().jsonPath("$.content").isEmpty();
	}

	@Test
	void refusesAnInvalidBodyWithTheFieldsAtFault() {
		Problems.expectPostProblem(client, 400, "/${resources}", Map.of("name", " "))
			.jsonPath("$.errors[*].field")
			.value(fields -> assertThat(fields.toString()).contains("name", "ownerId"));
	}

	@Test
	void answersNotFoundAsAProblem() {
		Problems.expectGetProblem(client, 404, "/${resources}/{id}", UUID.randomUUID());
	}

	@Test
	void answersServiceUnavailableWhenUserServiceFails() throws InterruptedException {
		userService.reset(request -> new MockResponse.Builder().code(500).build());

		Problems.expectDependencyUnavailable(create(Map.of("name", "later", "ownerId", UUID.randomUUID()), null));
	}

	@Test
	void publishesItsOpenApiDocument() {
		client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/${resources}'].post.operationId")
			.isEqualTo("create${Resource}");
	}

	private WebTestClient.ResponseSpec create(Object body, String idempotencyKey) {
		return client.post()
			.uri("/${resources}")
			.headers(headers -> {
				if (idempotencyKey != null) {
					headers.set("Idempotency-Key", idempotencyKey);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private static UUID knownUser() {
		UUID id = UUID.randomUUID();
		knownUsers.add(id);
		return id;
	}

	private static MockResponse answerAsUserService(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		if ("GET".equals(request.getMethod()) && knownUsers.stream().anyMatch(user -> path.equals("/users/" + user))) {
			return FakeService.json(200, "{\"id\":\"" + path.substring("/users/".length()) + "\",\"name\":\"Known User\"}");
		}
		return new MockResponse.Builder().code(404)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
			.body("{\"status\":404,\"title\":\"User not found\"}")
			.build();
	}

}
