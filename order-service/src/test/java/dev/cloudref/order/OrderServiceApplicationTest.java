package dev.cloudref.order;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import dev.cloudref.order.order.Order;
import dev.cloudref.order.order.OrderPage;
import dev.cloudref.starter.idempotency.IdempotencyKeys;
import dev.cloudref.starter.idempotency.IdempotencyProperties;
import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.FakeService;
import dev.cloudref.testsupport.Problems;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;

/**
 * The whole order-service on an embedded H2 database, with user-service played by a
 * {@link FakeService} that the real load-balanced client finds through Spring Cloud's
 * simple discovery client.
 */
class OrderServiceApplicationTest extends AbstractServiceTest {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	static final FakeService userService = new FakeService("user-service");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.of(userService);

	/** Users that the fake user-service knows; it answers 404 for any other id. */
	static final Set<UUID> knownUsers = ConcurrentHashMap.newKeySet();

	/** Overrides the fake user-service's answers while non-null. */
	static volatile Function<RecordedRequest, MockResponse> failure;

	@Autowired
	TimeLimiterRegistry timeLimiters;

	@Autowired
	Environment springEnvironment;

	@Autowired
	IdempotencyProperties idempotency;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	DatabaseClient database;

	@Autowired
	IdempotencyKeys idempotencyKeys;

	@Autowired
	R2dbcEntityOperations entities;

	@LocalServerPort
	int port;

	@BeforeEach
	void resetUserService() throws InterruptedException {
		failure = null;
		userService.reset(request -> (failure != null) ? failure.apply(request) : answerAsUserService(request));
		circuitBreakers.circuitBreaker("user-service").reset();
	}

	/**
	 * The timeouts of a keyed order POST nest: the user check gives up (connect,
	 * response, then its time limiter) before the request's claim on its Idempotency-Key
	 * runs out, and the claim runs out before the gateway stops waiting for the answer. A
	 * live request therefore never loses its key to a repeat, and its client hears how it
	 * ended.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void anOrdersTimeoutsNestInsideItsIdempotencyLeaseAndTheGatewaysResponseTimeout() throws Exception {
		Duration limiter = timeLimiters.timeLimiter("user-service").getTimeLimiterConfig().getTimeoutDuration();
		Duration lease = idempotency.lease();
		Map<String, Object> gatewayYaml;
		// The gateway's file in the config repository (this test runs in the
		// order-service module).
		try (InputStream in = Files.newInputStream(Path.of("../config-repo/api-gateway.yml"))) {
			// The first document: the settings of every profile.
			gatewayYaml = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)
				.iterator()
				.next();
		}
		Duration gateway = DurationStyle.detectAndParse(String.valueOf(
				dig(gatewayYaml, "spring", "cloud", "gateway", "server", "webflux", "httpclient", "response-timeout")));

		Binder binder = Binder.get(springEnvironment);
		Duration connect = binder.bind("spring.http.clients.connect-timeout", Duration.class).get();
		Duration response = binder.bind("spring.http.clients.read-timeout", Duration.class).get();
		assertThat(connect).isLessThan(response);
		assertThat(response).isLessThan(limiter);
		assertThat(limiter).as("user check's time limiter < lease").isLessThan(lease);
		assertThat(lease).as("lease < gateway's response timeout").isLessThan(gateway);
	}

	@SuppressWarnings("unchecked")
	private static Object dig(Map<String, Object> yaml, String... path) {
		Object node = yaml;
		for (String key : path) {
			node = ((Map<String, Object>) node).get(key);
		}
		return node;
	}

	@Test
	void placesAnOrderForAKnownUserWithRelativeLocation() throws InterruptedException {
		UUID userId = knownUser();

		EntityExchangeResult<Map<String, Object>> result = post(order(userId, "BOOK-42", 3), null).expectStatus()
			.isCreated()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult();

		Map<String, Object> order = result.getResponseBody();
		assertThat(order).containsOnlyKeys("id", "userId", "sku", "quantity", "status", "createdAt")
			.containsEntry("userId", userId.toString())
			.containsEntry("sku", "BOOK-42")
			.containsEntry("quantity", 3)
			.containsEntry("status", "CREATED");
		assertThat((String) order.get("createdAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
		String id = (String) order.get("id");
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/orders/" + id);

		RecordedRequest lookup = userService.server().takeRequest(5, TimeUnit.SECONDS);
		assertThat(lookup).isNotNull();
		assertThat(lookup.getMethod()).isEqualTo("GET");
		assertThat(lookup.getTarget()).isEqualTo("/users/" + userId);

		client.get().uri("/orders/{id}", id).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(order);
	}

	@Test
	void refusesAnOrderForAUserThatUserServiceDoesNotKnow() {
		UUID stranger = UUID.randomUUID();

		Problems.expectProblem(post(order(stranger, "BOOK-42", 1), null), 422)
			.jsonPath("$.title")
			.isEqualTo("Unknown user");

		assertThat(ordersOf(stranger)).isEmpty();
	}

	@Test
	void rejectsQuantitiesOutsideOneToAThousand() {
		UUID userId = knownUser();
		for (int quantity : new int[] { 0, -1, 1001 }) {
			expectInvalid(order(userId, "BOOK-42", quantity), "quantity");
		}
		assertThat(ordersOf(userId)).isEmpty();
	}

	@Test
	void acceptsTheBoundaryQuantities() {
		UUID userId = knownUser();
		post(order(userId, "BOOK-42", 1), null).expectStatus().isCreated();
		post(order(userId, "BOOK-42", 1000), null).expectStatus().isCreated();
	}

	@Test
	void rejectsAMissingOrMalformedSku() {
		UUID userId = knownUser();
		expectInvalid(Map.of("userId", userId.toString(), "quantity", 1), "sku");
		expectInvalid(order(userId, "", 1), "sku");
		expectInvalid(order(userId, "BOOK 42!", 1), "sku");
		expectInvalid(order(userId, "x".repeat(65), 1), "sku");
		assertThat(ordersOf(userId)).isEmpty();
	}

	@Test
	void rejectsAMissingUserIdOrQuantity() {
		expectInvalid(Map.of("sku", "BOOK-42", "quantity", 1), "userId");
		expectInvalid(Map.of("userId", knownUser().toString(), "sku", "BOOK-42"), "quantity");
	}

	@Test
	void rejectsABodyThatIsNotJsonOrHasAMalformedUserId() {
		Problems.expectPostProblem(client, 400, "/orders", "{\"userId\": ");
		Problems.expectProblem(post(Map.of("userId", "not-a-uuid", "sku", "BOOK-42", "quantity", 1), null), 400);
	}

	/**
	 * Issue 19: strict JSON (service-starter's StrictJsonAutoConfiguration). Read
	 * leniently, 1.5 became an order of 1, "7" an order of 7, and of two quantities the
	 * last won; each is refused and stores nothing.
	 */
	@Test
	void refusesJsonThatMeansSomethingElseThanItSaysAndStoresNothing() {
		UUID userId = knownUser();
		String user = "\"userId\":\"" + userId + "\"";
		for (String body : List.of("{" + user + ",\"sku\":\"BOOK-42\",\"quantity\":1.5}",
				"{" + user + ",\"sku\":\"BOOK-42\",\"quantity\":\"7\"}",
				"{" + user + ",\"sku\":\"BOOK-42\",\"quantity\":1,\"quantity\":900}",
				"{" + user + ",\"sku\":42,\"quantity\":1}", "{" + user + ",\"sku\":true,\"quantity\":1}")) {
			Problems.expectPostProblem(client, 400, "/orders", body);
		}
		assertThat(ordersOf(userId)).isEmpty();
		// 2.0 is not an integer either; written as one, the order is placed.
		Problems.expectPostProblem(client, 400, "/orders", "{" + user + ",\"sku\":\"BOOK-42\",\"quantity\":2.0}");
		post(order(userId, "BOOK-42", 2), null).expectStatus().isCreated();
	}

	@Test
	void rejectsAMalformedIdempotencyKey() {
		UUID userId = knownUser();
		Problems.expectProblem(post(order(userId, "BOOK-42", 1), "x".repeat(256)), 400)
			.jsonPath("$.errors[*].parameter")
			.value(contains("idempotencyKey"));
		assertThat(ordersOf(userId)).isEmpty();
	}

	@Test
	void createsOrderOnceForRepeatedIdempotencyKey() {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		Map<String, Object> body = order(userId, "BOOK-42", 2);

		Map<String, Object> first = post(body, key).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		EntityExchangeResult<Map<String, Object>> again = post(body, key).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON_OBJECT)
			.returnResult();

		assertThat(again.getResponseBody()).isEqualTo(first);
		assertThat(again.getResponseHeaders().getLocation()).hasToString("/orders/" + first.get("id"));
		assertThat(ordersOf(userId)).extracting(order -> order.get("id")).containsExactly(first.get("id"));
	}

	@Test
	void refusesAnIdempotencyKeyReusedWithADifferentBody() {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		post(order(userId, "BOOK-42", 2), key).expectStatus().isCreated();

		Problems.expectProblem(post(order(userId, "BOOK-42", 3), key), 422)
			.jsonPath("$.title")
			.isEqualTo("Idempotency key reused");

		assertThat(ordersOf(userId)).singleElement().satisfies(order -> assertThat(order).containsEntry("quantity", 2));
	}

	@Test
	void createsOneOrderForConcurrentRequestsWithTheSameIdempotencyKey() {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		Map<String, Object> body = order(userId, "BOOK-42", 5);
		WebClient webClient = WebClient.builder()
			.baseUrl("http://localhost:" + port)
			.defaultHeader(HttpHeaders.AUTHORIZATION, bearerToken())
			.build();

		// Like real clients, each retries a 409 (another request with the key in flight).
		List<ResponseEntity<Map<String, Object>>> responses = Flux.range(0, 8)
			.flatMap(i -> webClient.post()
				.uri("/orders")
				.header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.retrieve()
				.toEntity(JSON_OBJECT)
				.retryWhen(Retry.fixedDelay(50, Duration.ofMillis(100))
					.filter(WebClientResponseException.Conflict.class::isInstance)), 8)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(responses).hasSize(8)
			.allSatisfy(response -> assertThat(response.getStatusCode().value()).isEqualTo(201));
		assertThat(responses).extracting(response -> response.getBody().get("id"))
			.containsOnly(responses.get(0).getBody().get("id"));
		assertThat(responses).filteredOn(response -> !response.getHeaders().containsHeader("Idempotent-Replayed"))
			.hasSize(1);
		assertThat(ordersOf(userId)).extracting(order -> order.get("id"))
			.containsExactly(responses.get(0).getBody().get("id"));
	}

	@Test
	void answersConflictWhileARequestWithTheSameIdempotencyKeyIsInFlight() throws Exception {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		Map<String, Object> body = order(userId, "BOOK-42", 4);
		CountDownLatch lookupStarted = new CountDownLatch(1);
		CountDownLatch lookupMayAnswer = new CountDownLatch(1);
		failure = request -> {
			lookupStarted.countDown();
			awaitQuietly(lookupMayAnswer);
			return answerAsUserService(request);
		};
		CompletableFuture<ResponseEntity<Map<String, Object>>> first = WebClient.create("http://localhost:" + port)
			.post()
			.uri("/orders")
			.header(HttpHeaders.AUTHORIZATION, bearerToken())
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.toEntity(JSON_OBJECT)
			.toFuture();
		assertThat(lookupStarted.await(10, TimeUnit.SECONDS)).as("first request is checking its user").isTrue();

		try {
			expectInFlight(body, key);
			// A different body under the key is refused at once, in flight or not.
			Problems.expectProblem(post(order(userId, "BOOK-42", 5), key), 422)
				.jsonPath("$.title")
				.isEqualTo("Idempotency key reused");
		}
		finally {
			lookupMayAnswer.countDown();
		}

		ResponseEntity<Map<String, Object>> placed = first.get(10, TimeUnit.SECONDS);
		assertThat(placed.getStatusCode().value()).isEqualTo(201);
		post(body, key).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON_OBJECT)
			.isEqualTo(placed.getBody());
		assertThat(ordersOf(userId)).extracting(order -> order.get("id")).containsExactly(placed.getBody().get("id"));
	}

	/**
	 * Issue 19: the same Idempotency-Key from two callers (the gateway names them in
	 * Caller-Id) places two orders; each caller's repeat replays its own.
	 */
	@Test
	void scopesIdempotencyKeysByCaller() {
		UUID userId = knownUser();
		String key = "shared-" + UUID.randomUUID();
		Map<String, Object> body = order(userId, "BOOK-42", 1);

		Map<String, Object> first = postAs("api-key:first", body, key).expectStatus()
			.isCreated()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		Map<String, Object> second = postAs("api-key:second", order(userId, "PEN-7", 2), key).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();

		assertThat(second.get("id")).isNotEqualTo(first.get("id"));
		postAs("api-key:first", body, key).expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON_OBJECT)
			.isEqualTo(first);
		assertThat(ordersOf(userId)).extracting(order -> order.get("id"))
			.containsExactly(first.get("id"), second.get("id"));
		Problems.expectProblem(postAs("not visible ascii", body, key), 400);
	}

	private WebTestClient.ResponseSpec postAs(String caller, Map<String, Object> body, String idempotencyKey) {
		return client.post()
			.uri("/orders")
			.header("Caller-Id", caller)
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	@Test
	void takesOverAnIdempotencyKeyWhoseHolderDiedBeforeItsLeaseEnded() {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		Instant claimed = Instant.now().minus(Duration.ofMinutes(1));
		// What an instance killed in the middle of the same request leaves behind (a
		// claim for another body is refused, not taken over).
		database
			.sql("""
					INSERT INTO idempotency_keys (caller, idempotency_key, request_hash, claim_token, created_at, locked_until)
					VALUES ('', :key, :hash, :token, :claimed, :lockedUntil)""")
			.bind("key", key)
			.bind("hash", IdempotencyKeys.fingerprint(userId, "BOOK-42", 1))
			.bind("token", UUID.randomUUID())
			.bind("claimed", claimed)
			.bind("lockedUntil", claimed.plusSeconds(10))
			.then()
			.block(Duration.ofSeconds(5));

		Map<String, Object> placed = post(order(userId, "BOOK-42", 1), key).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();

		post(order(userId, "BOOK-42", 1), key).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON_OBJECT)
			.isEqualTo(placed);
		assertThat(ordersOf(userId)).hasSize(1);
	}

	@Test
	void createsANewOrderForAKeyOnlyOnceItsRetentionHasPassed() {
		UUID userId = knownUser();
		String expiring = "key-" + UUID.randomUUID();
		String young = "key-" + UUID.randomUUID();
		Map<String, Object> body = order(userId, "BOOK-42", 1);
		Object first = create(body, expiring).get("id");
		Object youngOrder = create(body, young).get("id");
		database.sql("UPDATE idempotency_keys SET completed_at = :longAgo WHERE idempotency_key = :key")
			.bind("longAgo", Instant.now().minus(Duration.ofHours(24)).minusSeconds(1))
			.bind("key", expiring)
			.then()
			.block(Duration.ofSeconds(5));

		assertThat(idempotencyKeys.deleteExpired().block(Duration.ofSeconds(5))).isGreaterThanOrEqualTo(1);

		post(body, young).expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true");
		Object second = create(body, expiring).get("id");
		assertThat(second).isNotEqualTo(first);
		assertThat(ordersOf(userId)).extracting(order -> order.get("id"))
			.containsExactlyInAnyOrder(first, youngOrder, second);
	}

	@Test
	void answersServiceUnavailableAndStoresNothingWhenUserServiceFails() {
		UUID userId = knownUser();
		failure = request -> FakeService.json(500, "{\"status\":500}");
		int callsBefore = userService.server().getRequestCount();

		expectUserServiceUnavailable(order(userId, "BOOK-42", 1));

		// 500 is not one of the statuses LoadBalancer retries (502, 503, 504).
		assertThat(userService.server().getRequestCount() - callsBefore).isEqualTo(1);
		failure = null;
		assertThat(ordersOf(userId)).isEmpty();
	}

	@Test
	void retriesTheUserLookupOnceWhenUserServiceAnswersServiceUnavailable() {
		UUID userId = knownUser();
		failure = request -> FakeService.json(503, "{\"status\":503}");
		int callsBefore = userService.server().getRequestCount();

		expectUserServiceUnavailable(order(userId, "BOOK-42", 1));

		assertThat(userService.server().getRequestCount() - callsBefore).isEqualTo(2);
	}

	@Test
	void releasesTheIdempotencyKeyWhenUserServiceFails() {
		UUID userId = knownUser();
		String key = "key-" + UUID.randomUUID();
		failure = request -> FakeService.json(500, "{\"status\":500}");
		expectUserServiceUnavailable(order(userId, "BOOK-42", 1), key);

		failure = null;
		post(order(userId, "BOOK-42", 1), key).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(ordersOf(userId)).hasSize(1);
	}

	@Test
	void releasesTheIdempotencyKeyWhenTheUserIsUnknown() {
		UUID userId = UUID.randomUUID();
		String key = "key-" + UUID.randomUUID();
		post(order(userId, "BOOK-42", 1), key).expectStatus().isEqualTo(422);

		// The user is created (user-service knows it now) and the client retries.
		knownUsers.add(userId);
		post(order(userId, "BOOK-42", 1), key).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(ordersOf(userId)).hasSize(1);
	}

	@Test
	void stopsCallingUserServiceWhileItsCircuitIsOpen() {
		UUID userId = knownUser();
		failure = request -> FakeService.json(500, "{\"status\":500}");
		// minimum-number-of-calls is 10 and every one of them fails: the breaker opens.
		for (int i = 0; i < 10; i++) {
			expectUserServiceUnavailable(order(userId, "BOOK-42", 1));
		}
		int callsBefore = userService.server().getRequestCount();

		expectUserServiceUnavailable(order(userId, "BOOK-42", 1));

		assertThat(userService.server().getRequestCount()).isEqualTo(callsBefore);
	}

	@Test
	void keepsTheCircuitClosedWhenUserServiceAnswersNotFound() {
		for (int i = 0; i < 12; i++) {
			post(order(UUID.randomUUID(), "BOOK-42", 1), null).expectStatus().isEqualTo(422);
		}
		UUID userId = knownUser();
		post(order(userId, "BOOK-42", 1), null).expectStatus().isCreated();
	}

	@Test
	void answersAnUnknownOrderWithNotFound() {
		UUID unknown = UUID.randomUUID();
		Problems.expectGetProblem(client, 404, "/orders/{id}", unknown)
			.jsonPath("$.title")
			.isEqualTo("Order not found");
	}

	@Test
	void rejectsAnOrderIdThatIsNotAUuid() {
		Problems.expectGetProblem(client, 400, "/orders/not-a-uuid");
	}

	@Test
	void listsAUsersOrdersOldestFirst() {
		UUID userId = knownUser();
		UUID someoneElse = knownUser();
		String first = (String) create(order(userId, "FIRST", 1)).get("id");
		create(order(someoneElse, "OTHER", 1));
		String second = (String) create(order(userId, "SECOND", 2)).get("id");

		client.get()
			.uri("/orders?userId={id}", userId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()")
			.isEqualTo(2)
			.jsonPath("$.content[*].id")
			.value(contains(first, second))
			.jsonPath("$.content[*].userId")
			.value(contains(userId.toString(), userId.toString()))
			.jsonPath("$.page")
			.isEqualTo(0)
			.jsonPath("$.size")
			.isEqualTo(20)
			.jsonPath("$.totalElements")
			.isEqualTo(2)
			.jsonPath("$.totalPages")
			.isEqualTo(1);
	}

	/**
	 * Issue 19: one user with 10,000 orders. Every page is bounded (the largest is far
	 * below the 256 KiB that a client of this service reads), pages follow one another
	 * without gap or overlap, and the total counts them all.
	 */
	@Test
	void pagesTenThousandOrdersOfOneUser() {
		UUID userId = UUID.randomUUID();
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		List<UUID> ids = Flux.range(0, 10_000)
			.map(i -> new Order(UUID.randomUUID(), userId, "BULK-" + i, 1, Order.CREATED, start.plusMillis(i)))
			.concatMap(entities::insert)
			.map(Order::id)
			.collectList()
			.block(Duration.ofMinutes(2));

		OrderPage first = ordersPage(userId, "");
		assertThat(first.size()).isEqualTo(20);
		assertThat(first.totalElements()).isEqualTo(10_000);
		assertThat(first.totalPages()).isEqualTo(500);
		assertThat(first.content()).extracting(Order::id).containsExactlyElementsOf(ids.subList(0, 20));

		EntityExchangeResult<byte[]> largest = client.get()
			.uri("/orders?userId={id}&page=0&size=100", userId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		assertThat(largest.getResponseBody()).hasSizeLessThan(64 * 1024);

		OrderPage second = ordersPage(userId, "&page=1&size=100");
		OrderPage last = ordersPage(userId, "&page=99&size=100");
		assertThat(second.content()).extracting(Order::id).containsExactlyElementsOf(ids.subList(100, 200));
		assertThat(last.content()).extracting(Order::id).containsExactlyElementsOf(ids.subList(9_900, 10_000));
		assertThat(ordersPage(userId, "&page=100&size=100").content()).isEmpty();

		for (String outOfRange : List.of("&size=101", "&size=0", "&page=-1", "&page=10001", "&size=many")) {
			Problems.expectGetProblem(client, 400, "/orders?userId=" + userId + outOfRange);
		}
	}

	@Test
	void listsNoOrdersForAUserWithoutAny() {
		assertThat(ordersOf(UUID.randomUUID())).isEmpty();
	}

	@Test
	void requiresAUserIdToListOrders() {
		Problems.expectGetProblem(client, 400, "/orders");
	}

	@Test
	void rejectsAUserIdThatIsNotAUuid() {
		Problems.expectGetProblem(client, 400, "/orders?userId=not-a-uuid");
	}

	private void expectInvalid(Map<String, Object> body, String field) {
		Problems.expectProblem(post(body, null), 400).jsonPath("$.errors[*].field").value(hasItem(field));
	}

	private void expectUserServiceUnavailable(Map<String, Object> body) {
		expectUserServiceUnavailable(body, null);
	}

	private void expectUserServiceUnavailable(Map<String, Object> body, String idempotencyKey) {
		Problems.expectDependencyUnavailable(post(body, idempotencyKey))
			.jsonPath("$.title")
			.isEqualTo("User service unavailable");
	}

	private WebTestClient.ResponseSpec post(Map<String, Object> body, String idempotencyKey) {
		return client.post().uri("/orders").headers(headers -> {
			if (idempotencyKey != null) {
				headers.set("Idempotency-Key", idempotencyKey);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private void expectInFlight(Map<String, Object> body, String idempotencyKey) {
		Problems.expectProblem(post(body, idempotencyKey), 409, "1")
			.jsonPath("$.title")
			.isEqualTo("Request with this idempotency key in progress");
	}

	private Map<String, Object> create(Map<String, Object> body) {
		return create(body, null);
	}

	private Map<String, Object> create(Map<String, Object> body, String idempotencyKey) {
		return post(body, idempotencyKey).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The first page of the user's orders as JSON objects (this test places fewer than a
	 * page).
	 */
	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> ordersOf(UUID userId) {
		Map<String, Object> page = client.get()
			.uri("/orders?userId={id}", userId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		return (List<Map<String, Object>>) page.get("content");
	}

	private OrderPage ordersPage(UUID userId, String pageQuery) {
		return client.get()
			.uri("/orders?userId=" + userId + pageQuery)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(OrderPage.class)
			.returnResult()
			.getResponseBody();
	}

	private static UUID knownUser() {
		UUID id = UUID.randomUUID();
		knownUsers.add(id);
		return id;
	}

	private static Map<String, Object> order(UUID userId, String sku, int quantity) {
		return Map.of("userId", userId.toString(), "sku", sku, "quantity", quantity);
	}

	private static MockResponse answerAsUserService(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		if ("GET".equals(request.getMethod()) && path.startsWith("/users/")) {
			String id = path.substring("/users/".length());
			if (knownUsers.stream().anyMatch(user -> user.toString().equals(id))) {
				return FakeService.json(200, """
						{"id":"%s","name":"Known User","email":"known@example.com","createdAt":"2025-01-01T00:00:00Z"}
						""".formatted(id));
			}
		}
		return new MockResponse.Builder().code(404)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
			.body("{\"status\":404,\"title\":\"User not found\"}")
			.build();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
