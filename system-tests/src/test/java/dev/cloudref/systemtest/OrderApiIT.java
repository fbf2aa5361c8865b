package dev.cloudref.systemtest;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/** The orders part of the HTTP contract, through the gateway. */
class OrderApiIT {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/** Attempts of a client that retries {@code 409}s. */
	private static final int MAX_ATTEMPTS = 10;

	private static GatewayClient gateway;

	private static String userId;

	@BeforeAll
	static void system() {
		gateway = LocalSystem.get().gatewayClient();
		userId = createUser(gateway).path("id").asString();
	}

	@Test
	void placesOrderForExistingUser() {
		ApiResponse created = placeOrder(gateway, userId, "BOOK-42", 3);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode order = created.json();
		assertThat(order.path("userId").asString()).isEqualTo(userId);
		assertThat(order.path("sku").asString()).isEqualTo("BOOK-42");
		assertThat(order.path("quantity").asInt()).isEqualTo(3);
		assertThat(order.path("status").asString()).isEqualTo("CREATED");
		assertThat(order.has("idempotencyKey")).isFalse();
		assertThat(created.header("Location")).isEqualTo("/api/orders/" + order.path("id").asString());

		ApiResponse fetched = gateway.get(created.header("Location"));
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.json()).isEqualTo(order);
	}

	/**
	 * Issue 19: the same Idempotency-Key from two API keys names two requests. Before,
	 * the second key got the first key's order replayed (or a 422 for its own body).
	 */
	@Test
	void scopesIdempotencyKeysByApiKey() {
		GatewayClient other = LocalSystem.get().loadGatewayClient();
		String key = UUID.randomUUID().toString();

		ApiResponse mine = placeOrder(gateway, userId, "SHARED-1", 1, IDEMPOTENCY_KEY, key);
		ApiResponse theirs = placeOrder(other, userId, "SHARED-2", 2, IDEMPOTENCY_KEY, key);
		ApiResponse mineAgain = placeOrder(gateway, userId, "SHARED-1", 1, IDEMPOTENCY_KEY, key);

		assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
		assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);
		assertThat(theirs.header("Idempotent-Replayed")).isNull();
		assertThat(theirs.json().path("id")).isNotEqualTo(mine.json().path("id"));
		assertThat(theirs.json().path("sku").asString()).isEqualTo("SHARED-2");
		assertThat(mineAgain.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(mineAgain.json()).isEqualTo(mine.json());
		// A client cannot borrow another's scope by naming it: in the first key's scope
		// this would replay its order; in its own, the body differs from the one it sent.
		ApiResponse spoofed = placeOrder(other, userId, "SHARED-1", 1, IDEMPOTENCY_KEY, key, "Caller-Id",
				"api-key:system-test");
		assertProblem(spoofed, 422);
	}

	@Test
	void refusesOrderForUnknownUser() {
		assertProblem(placeOrder(gateway, UUID.randomUUID().toString(), "BOOK-1", 1), 422);
	}

	@Test
	void rejectsInvalidOrders() {
		assertProblem(placeOrder(gateway, userId, "BOOK-1", 0), 400);
		assertProblem(placeOrder(gateway, userId, "BOOK-1", 1001), 400);
		assertProblem(placeOrder(gateway, userId, "no spaces allowed", 1), 400);
		assertProblem(gateway.post("/api/orders", "{\"userId\":\"" + userId + "\",\"quantity\":1}"), 400);
		assertProblem(gateway.post("/api/orders", "{\"userId\":\"not-a-uuid\",\"sku\":\"A\",\"quantity\":1}"), 400);
	}

	@Test
	void createsOrderOnceForRepeatedIdempotencyKey() {
		String owner = createUser(gateway).path("id").asString();
		String key = UUID.randomUUID().toString();

		ApiResponse first = placeOrder(gateway, owner, "PEN-1", 5, IDEMPOTENCY_KEY, key);
		ApiResponse second = placeOrder(gateway, owner, "PEN-1", 5, IDEMPOTENCY_KEY, key);

		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(second.status()).as(second.toString()).isEqualTo(201);
		assertThat(second.json()).isEqualTo(first.json());
		assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(ordersOf(owner)).hasSize(1);
	}

	@Test
	void createsOrderOnceForConcurrentRequestsWithSameIdempotencyKey() throws Exception {
		String owner = createUser(gateway).path("id").asString();
		String key = UUID.randomUUID().toString();
		List<Callable<ApiResponse>> requests = IntStream.range(0, 8)
			.mapToObj(i -> (Callable<ApiResponse>) () -> placeOrderRetryingConflicts(owner, "CUP-1", 1, key))
			.toList();

		ExecutorService pool = Executors.newFixedThreadPool(requests.size());
		List<ApiResponse> responses;
		try {
			responses = pool.invokeAll(requests).stream().map(OrderApiIT::result).toList();
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
		assertThat(responses.stream().map(r -> r.json().path("id").asString()).distinct()).hasSize(1);
		assertThat(responses.stream().filter(r -> !"true".equals(r.header("Idempotent-Replayed")))).hasSize(1);
		assertThat(ordersOf(owner)).hasSize(1);
	}

	@Test
	void refusesSameIdempotencyKeyWithDifferentBody() {
		String key = UUID.randomUUID().toString();
		assertThat(placeOrder(gateway, userId, "MUG-1", 1, IDEMPOTENCY_KEY, key).status()).isEqualTo(201);

		assertProblem(placeOrder(gateway, userId, "MUG-1", 2, IDEMPOTENCY_KEY, key), 422);
	}

	@Test
	void answersNotFoundForUnknownOrder() {
		assertProblem(gateway.get("/api/orders/" + UUID.randomUUID()), 404);
	}

	@Test
	void listsOrdersOfUserOldestFirst() {
		String owner = createUser(gateway).path("id").asString();
		String first = placeOrder(gateway, owner, "A-1", 1).json().path("id").asString();
		String second = placeOrder(gateway, owner, "A-2", 2).json().path("id").asString();

		String third = placeOrder(gateway, owner, "A-3", 3).json().path("id").asString();

		assertThat(ordersOf(owner)).extracting(order -> order.path("id").asString())
			.containsExactly(first, second, third);
		ApiResponse secondPage = gateway.get("/api/orders?userId=" + owner + "&page=1&size=2");
		assertThat(secondPage.status()).as(secondPage.toString()).isEqualTo(200);
		assertThat(secondPage.json().path("content").findValuesAsString("id")).containsExactly(third);
		assertThat(secondPage.json().path("totalElements").asInt()).isEqualTo(3);
		assertThat(secondPage.json().path("totalPages").asInt()).isEqualTo(2);
	}

	@Test
	void rejectsOrderListingWithoutValidUserId() {
		assertProblem(gateway.get("/api/orders"), 400);
		assertProblem(gateway.get("/api/orders?userId=42"), 400);
		String owner = createUser(gateway).path("id").asString();
		assertProblem(gateway.get("/api/orders?userId=" + owner + "&size=101"), 400);
		assertProblem(gateway.get("/api/orders?userId=" + owner + "&page=-1"), 400);
	}

	/**
	 * Places an order as a well-behaved client does: a {@code 409} (a request with the
	 * same key is still in flight) is retried after its {@code Retry-After}.
	 */
	private static ApiResponse placeOrderRetryingConflicts(String owner, String sku, int quantity, String key)
			throws InterruptedException {
		for (int attempt = 1;; attempt++) {
			ApiResponse response = placeOrder(gateway, owner, sku, quantity, IDEMPOTENCY_KEY, key);
			if (response.status() != 409 || attempt == MAX_ATTEMPTS) {
				return response;
			}
			assertProblem(response, 409);
			assertThat(response.header("Retry-After")).as(response.toString()).isEqualTo("1");
			TimeUnit.SECONDS.sleep(Long.parseLong(response.header("Retry-After")));
		}
	}

	private static List<JsonNode> ordersOf(String owner) {
		return Fixtures.ordersOf(gateway, owner);
	}

	private static ApiResponse result(Future<ApiResponse> future) {
		try {
			return future.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
