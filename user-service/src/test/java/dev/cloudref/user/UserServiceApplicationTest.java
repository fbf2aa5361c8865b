package dev.cloudref.user;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.FakeService;
import dev.cloudref.testsupport.Problems;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.cloudref.testsupport.FakeService.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

/**
 * The whole user-service on an embedded H2 database, with order-service played by a
 * {@link FakeService} that the real load-balanced client finds through Spring Cloud's
 * simple discovery client.
 */
@TestPropertySource(properties = {
		"resilience4j.bulkhead.instances.order-service.max-concurrent-calls="
				+ UserServiceApplicationTest.BULKHEAD_LIMIT,
		// Room for the bulkhead test to hold calls; no test here depends on these
		// timeouts.
		"spring.http.clients.read-timeout=10s",
		"resilience4j.timelimiter.instances.order-service.timeout-duration=10s" })
class UserServiceApplicationTest extends AbstractServiceTest {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	/**
	 * A small bulkhead for order-service calls, so the test fills it with a few requests.
	 */
	static final int BULKHEAD_LIMIT = 4;

	static final FakeService orderService = new FakeService("order-service");

	/** order-service's answer for a user without orders (first page, 20 per page). */
	static final String EMPTY_PAGE = """
			{"content":[],"page":0,"size":20,"totalElements":0,"totalPages":0}""";

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.of(orderService);

	static volatile Function<RecordedRequest, MockResponse> orderServiceAnswers;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Value("${local.management.port}")
	int managementPort;

	@BeforeEach
	void resetOrderService() throws InterruptedException {
		orderServiceAnswers = request -> json(200, EMPTY_PAGE);
		orderService.reset(request -> orderServiceAnswers.apply(request));
		circuitBreakers.circuitBreaker("order-service").reset();
	}

	@Test
	void showsHealthDetailsOnTheManagementPortOnly() {
		// The main port's probes (what the load balancers read): the status alone.
		for (String probe : new String[] { "/readyz", "/livez" }) {
			client.get()
				.uri(probe)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("{\"status\":\"UP\"}");
		}
		// The management port: every check with its details.
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + managementPort)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.r2dbc.details.database")
			.isEqualTo("H2")
			.jsonPath("$.components.readinessState.status")
			.isEqualTo("UP");
	}

	@Test
	void createsUserWithRelativeLocationAndReturnsIt() {
		EntityExchangeResult<Map<String, Object>> result = client.post()
			.uri("/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "  Ada Lovelace ", "email", "ada-" + UUID.randomUUID() + "@example.com"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody(JSON_OBJECT)
			.returnResult();

		Map<String, Object> user = result.getResponseBody();
		assertThat(user).containsOnlyKeys("id", "name", "email", "createdAt").containsEntry("name", "Ada Lovelace");
		String id = (String) user.get("id");
		assertThat(UUID.fromString(id)).isNotNull();
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/users/" + id);
		assertThat((String) user.get("createdAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

		client.get().uri("/users/{id}", id).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(user);
	}

	@Test
	void storesTheEmailInLowerCase() {
		String local = "Grace.Hopper-" + UUID.randomUUID();
		String id = createUser("Grace Hopper", local + "@Example.COM");

		client.get()
			.uri("/users/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.email")
			.isEqualTo(local.toLowerCase() + "@example.com");
	}

	@Test
	void refusesASecondUserWithTheSameEmailWhateverItsCase() {
		String email = "taken-" + UUID.randomUUID() + "@example.com";
		createUser("First", email);

		Problems.expectPostProblem(client, 409, "/users", Map.of("name", "Second", "email", email.toUpperCase()))
			.jsonPath("$.title")
			.isEqualTo("E-mail taken");
	}

	@Test
	void rejectsAnInvalidUserWithTheNamesOfTheInvalidFields() {
		Problems.expectPostProblem(client, 400, "/users", Map.of("name", " ", "email", "not-an-email"))
			.jsonPath("$.errors[*].field")
			.value(containsInAnyOrder("name", "email"));
	}

	@Test
	void rejectsControlCharactersAndUnpairedSurrogatesThatADatabaseCannotStore() {
		Problems
			.expectPostProblem(client, 400, "/users",
					"{\"name\": \"Ada\\u0000\", \"email\": \"ada\\ud800@example.com\"}")
			.jsonPath("$.errors[*].field")
			.value(containsInAnyOrder("name", "email"))
			.jsonPath("$.errors[0].message")
			.isEqualTo("must not contain control characters or unpaired surrogates");
	}

	@Test
	void storesSqlAndScriptInANameAsPlainText() {
		String name = "Robert'); DROP TABLE users;-- <script>alert(\"x\")</script> \uD83D\uDE00";
		client.post()
			.uri("/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "email", "bobby-" + UUID.randomUUID() + "@example.com"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo(name);
	}

	@Test
	void rejectsABodyThatIsNotJson() {
		Problems.expectPostProblem(client, 400, "/users", "{\"name\": ");
	}

	@Test
	void answersAnUnknownUserWithNotFound() {
		UUID unknown = UUID.randomUUID();
		Problems.expectGetProblem(client, 404, "/users/{id}", unknown)
			.jsonPath("$.title")
			.isEqualTo("User not found")
			.jsonPath("$.detail")
			.isEqualTo("No user with id " + unknown + ".");
	}

	@Test
	void rejectsAnIdThatIsNotAUuid() {
		Problems.expectGetProblem(client, 400, "/users/not-a-uuid");
	}

	@Test
	void rejectsPageSizesAndNumbersOutOfRange() {
		for (String query : List.of("size=0", "size=101", "page=-1", "size=abc")) {
			Problems.expectGetProblem(client, 400, "/users?" + query);
		}
		client.get().uri("/users?size=0").exchange().expectBody().jsonPath("$.errors[0].parameter").isEqualTo("size");
	}

	@Test
	void pagesThroughAllUsersOldestFirst() {
		Set<String> created = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			created.add(createUser("Pager " + i, "pager-" + UUID.randomUUID() + "@example.com"));
		}
		long total = page(0, 2).get("totalElements") instanceof Number n ? n.longValue() : -1;
		assertThat(total).isGreaterThanOrEqualTo(3);
		int expectedPages = (int) ((total + 1) / 2);

		List<Map<String, Object>> all = new ArrayList<>();
		for (int page = 0; page < expectedPages; page++) {
			Map<String, Object> body = page(page, 2);
			assertThat(body).containsEntry("page", page)
				.containsEntry("size", 2)
				.containsEntry("totalElements", (int) total)
				.containsEntry("totalPages", expectedPages);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> content = (List<Map<String, Object>>) body.get("content");
			assertThat(content).hasSize(page < expectedPages - 1 ? 2 : (int) (total - 2L * page));
			all.addAll(content);
		}
		List<String> ids = all.stream().map(user -> (String) user.get("id")).toList();
		assertThat(ids).doesNotHaveDuplicates().hasSize((int) total).containsAll(created);
		List<String> createdAt = all.stream().map(user -> (String) user.get("createdAt")).toList();
		assertThat(createdAt).isSortedAccordingTo((a, b) -> Instant.parse(a).compareTo(Instant.parse(b)));

		@SuppressWarnings("unchecked")
		List<Object> beyondTheEnd = (List<Object>) page(expectedPages, 2).get("content");
		assertThat(beyondTheEnd).isEmpty();
	}

	@Test
	void listsAUsersOrdersFromOrderService() throws InterruptedException {
		String id = createUser("Customer", "customer-" + UUID.randomUUID() + "@example.com");
		String orderId = UUID.randomUUID().toString();
		orderServiceAnswers = request -> json(200, """
				{"content":[{"id":"%s","userId":"%s","sku":"BOOK-42","quantity":2,"status":"CREATED",
				"createdAt":"2025-01-02T03:04:05.678Z"}],"page":3,"size":1,"totalElements":5,"totalPages":5}
				""".formatted(orderId, id));

		client.get()
			.uri("/users/{id}/orders?page=3&size=1", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.user.id")
			.isEqualTo(id)
			.jsonPath("$.user.name")
			.isEqualTo("Customer")
			.jsonPath("$.orders.length()")
			.isEqualTo(1)
			.jsonPath("$.orders[0].id")
			.isEqualTo(orderId)
			.jsonPath("$.orders[0].userId")
			.isEqualTo(id)
			.jsonPath("$.orders[0].sku")
			.isEqualTo("BOOK-42")
			.jsonPath("$.orders[0].quantity")
			.isEqualTo(2)
			.jsonPath("$.orders[0].status")
			.isEqualTo("CREATED")
			.jsonPath("$.orders[0].createdAt")
			.isEqualTo("2025-01-02T03:04:05.678Z")
			.jsonPath("$.page")
			.isEqualTo(3)
			.jsonPath("$.size")
			.isEqualTo(1)
			.jsonPath("$.totalElements")
			.isEqualTo(5)
			.jsonPath("$.totalPages")
			.isEqualTo(5);

		RecordedRequest request = orderService.server().takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/orders?userId=" + id + "&page=3&size=1");
		// Calls to other services join the caller's trace (W3C Trace Context).
		assertThat(request.getHeaders().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		// ... and carry user-service's own token (scope orders:read), not the caller's.
		String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
		assertThat(authorization).startsWith("Bearer ");
		String claims = new String(Base64.getUrlDecoder().decode(authorization.split("\\.")[1]),
				StandardCharsets.UTF_8);
		assertThat(claims).contains("\"sub\":\"user-service\"").contains("\"scope\":\"orders:read\"");
	}

	@Test
	void listsNoOrdersForAUserWithoutAny() {
		String id = createUser("New customer", "new-" + UUID.randomUUID() + "@example.com");

		client.get()
			.uri("/users/{id}/orders", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.user.id")
			.isEqualTo(id)
			.jsonPath("$.orders.length()")
			.isEqualTo(0);
	}

	@Test
	void answersServiceUnavailableWhenOrderServiceFails() {
		String id = createUser("Unlucky", "unlucky-" + UUID.randomUUID() + "@example.com");
		orderServiceAnswers = request -> json(500, "{\"status\":500}");

		int callsBefore = orderService.server().getRequestCount();

		expectOrdersUnavailable(id);

		// 500 is not one of the statuses LoadBalancer retries (502, 503, 504).
		assertThat(orderService.server().getRequestCount() - callsBefore).isEqualTo(1);
	}

	@Test
	void retriesOnceWhenOrderServiceAnswersServiceUnavailable() throws InterruptedException {
		String id = createUser("Patient", "patient-" + UUID.randomUUID() + "@example.com");
		orderServiceAnswers = request -> json(503, "{\"status\":503}");

		int callsBefore = orderService.server().getRequestCount();

		expectOrdersUnavailable(id);

		assertThat(orderService.server().getRequestCount() - callsBefore).isEqualTo(2);
		String firstPage = "/orders?userId=" + id + "&page=0&size=20";
		assertThat(orderService.server().takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo(firstPage);
		assertThat(orderService.server().takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo(firstPage);
	}

	@Test
	void stopsCallingOrderServiceWhileItsCircuitIsOpen() {
		String id = createUser("Breaker", "breaker-" + UUID.randomUUID() + "@example.com");
		orderServiceAnswers = request -> json(500, "{\"status\":500}");
		// minimum-number-of-calls is 10 and every one of them fails: the breaker opens.
		for (int i = 0; i < 10; i++) {
			expectOrdersUnavailable(id);
		}
		int callsBefore = orderService.server().getRequestCount();

		expectOrdersUnavailable(id);

		assertThat(orderService.server().getRequestCount()).isEqualTo(callsBefore);
	}

	/**
	 * Issue 19: an answer too large to read (over the 256 KiB codec limit) fails that
	 * call alone. Counted as failures, a dozen of them would open the breaker and cut
	 * every user's orders.
	 */
	@Test
	void anAnswerTooLargeToReadDoesNotOpenTheCircuit() {
		String id = createUser("Hoarder", "hoarder-" + UUID.randomUUID() + "@example.com");
		String order = """
				{"id":"%s","userId":"%s","sku":"BOOK-42","quantity":2,"status":"CREATED","createdAt":"2025-01-02T03:04:05Z"}"""
			.formatted(UUID.randomUUID(), id);
		String tooLarge = "{\"content\":[" + String.join(",", Collections.nCopies(2_000, order))
				+ "],\"page\":0,\"size\":20,\"totalElements\":2000,\"totalPages\":100}";
		assertThat(tooLarge.length()).isGreaterThan(256 * 1024);
		orderServiceAnswers = request -> json(200, tooLarge);
		for (int i = 0; i < 12; i++) {
			expectOrdersUnavailable(id);
		}
		assertThat(circuitBreakers.circuitBreaker("order-service").getMetrics().getNumberOfFailedCalls())
			.as("breaker failures after the oversized answers")
			.isZero();

		orderServiceAnswers = request -> json(200, EMPTY_PAGE);
		client.get().uri("/users/{id}/orders", id).exchange().expectStatus().isOk();
	}

	@Test
	void refusesAPageOrSizeOutOfRangeWithoutAskingOrderService() {
		String id = createUser("Pager", "pager-" + UUID.randomUUID() + "@example.com");
		int callsBefore = orderService.server().getRequestCount();

		for (String query : List.of("size=101", "size=0", "page=-1", "page=10001", "size=all")) {
			Problems.expectGetProblem(client, 400, "/users/" + id + "/orders?" + query);
		}

		assertThat(orderService.server().getRequestCount()).isEqualTo(callsBefore);
	}

	@Test
	void answersAnUnknownUsersOrdersWithNotFoundWithoutAskingOrderService() {
		int callsBefore = orderService.server().getRequestCount();

		Problems.expectGetProblem(client, 404, "/users/{id}/orders", UUID.randomUUID());

		assertThat(orderService.server().getRequestCount()).isEqualTo(callsBefore);
	}

	@Test
	void refusesCallsBeyondTheBulkheadAtOnceWhileOrderServiceIsSlow() throws Exception {
		String id = createUser("Crowded", "crowded-" + UUID.randomUUID() + "@example.com");
		// order-service holds every call it gets until the test lets go, well within the
		// response timeout this test sets: only the bulkhead can stop the pile-up.
		CountDownLatch release = new CountDownLatch(1);
		orderServiceAnswers = request -> {
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return json(200, EMPTY_PAGE);
		};
		int callsBefore = orderService.server().getRequestCount();
		int failuresBefore = circuitBreakers.circuitBreaker("order-service").getMetrics().getNumberOfFailedCalls();
		int concurrent = BULKHEAD_LIMIT + 6;

		ExecutorService clients = Executors.newFixedThreadPool(concurrent);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < concurrent; i++) {
				statuses.add(clients.submit(() -> client.get()
					.uri("/users/{id}/orders", id)
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value()));
			}
			// The calls the bulkhead admitted are held; all others must be answered
			// meanwhile.
			Awaitility.await("calls answered while the admitted ones are held")
				.atMost(Duration.ofSeconds(8))
				.until(() -> statuses.stream().filter(Future::isDone).count() >= concurrent - BULKHEAD_LIMIT);
			// Meanwhile an endpoint that does not need order-service is not starved.
			client.get().uri("/users/{id}", id).exchange().expectStatus().isOk();
			release.countDown();
			List<Integer> answered = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				answered.add(status.get(30, TimeUnit.SECONDS));
			}

			assertThat(answered).containsOnly(200, 503);
			assertThat(answered.stream().filter(status -> status == 503).count()).as("calls refused by the bulkhead")
				.isEqualTo(concurrent - BULKHEAD_LIMIT);
			assertThat(orderService.server().getRequestCount() - callsBefore).as("calls that reached order-service")
				.isEqualTo(BULKHEAD_LIMIT);
			// Refusals are not failures of order-service: counted as such they could open
			// the breaker (it wraps the bulkhead) and cut the calls the bulkhead admits.
			assertThat(circuitBreakers.circuitBreaker("order-service").getMetrics().getNumberOfFailedCalls())
				.as("breaker failures after the refusals")
				.isEqualTo(failuresBefore);
		}
		finally {
			release.countDown();
			clients.shutdownNow();
		}
	}

	private void expectOrdersUnavailable(String userId) {
		Problems.expectDependencyUnavailable(client.get().uri("/users/{id}/orders", userId).exchange())
			.jsonPath("$.title")
			.isEqualTo("Orders unavailable");
	}

	private String createUser(String name, String email) {
		Map<String, Object> user = client.post()
			.uri("/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "email", email))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		return (String) user.get("id");
	}

	private Map<String, Object> page(int page, int size) {
		return client.get()
			.uri("/users?page={page}&size={size}", page, size)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
	}

}
