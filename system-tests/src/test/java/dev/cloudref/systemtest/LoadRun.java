package dev.cloudref.systemtest;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady, bounded traffic through the gateway while a fault is injected: a few worker
 * threads, each sending about {@value #REQUESTS_PER_SECOND_PER_WORKER} requests a second,
 * in turn {@code GET /api/users/{id}}, {@code GET /api/users/{id}/orders} (user-service
 * calls order-service) and {@code POST /api/orders} with a fresh {@code Idempotency-Key}
 * (order-service calls user-service).
 *
 * <p>
 * Every attempt is recorded. The POST client is a retrying client, as the Idempotency-Key
 * draft expects: after a 409 (key in flight), a 5xx or an I/O error it sends the same
 * request with the same key again, up to {@value #POST_ATTEMPTS} attempts; each order's
 * final outcome is recorded apart from its attempts.
 */
final class LoadRun {

	static final int REQUESTS_PER_SECOND_PER_WORKER = 15;

	static final int POST_ATTEMPTS = 15;

	/** One HTTP exchange (or its I/O error, status -1). */
	record Attempt(String operation, int status, long startNanos, long nanos) {
	}

	/**
	 * The final outcome of one order: its key, sku, and the order id if it was
	 * acknowledged.
	 */
	record OrderOutcome(String key, String sku, String userId, String orderId, int attempts) {
	}

	private final GatewayClient gateway;

	private final List<String> userIds;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> workers = new ArrayList<>();

	private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

	private final Map<String, OrderOutcome> orders = new ConcurrentHashMap<>();

	private final long startNanos = System.nanoTime();

	private LoadRun(GatewayClient gateway, List<String> userIds) {
		this.gateway = gateway;
		this.userIds = userIds;
	}

	/**
	 * @param gateway the client (API key included)
	 * @param userIds existing users to read and to order for
	 * @param workers concurrent clients
	 * @return the running load; {@link #stop()} it
	 */
	static LoadRun start(GatewayClient gateway, List<String> userIds, int workers) {
		LoadRun run = new LoadRun(gateway, userIds);
		for (int i = 0; i < workers; i++) {
			int worker = i;
			Thread thread = new Thread(() -> run.work(worker), "load-" + i);
			thread.setDaemon(true);
			run.workers.add(thread);
			thread.start();
		}
		return run;
	}

	/** Stops the workers; an order in the middle of its retries finishes them first. */
	LoadRun stop() {
		running.set(false);
		for (Thread worker : workers) {
			try {
				worker.join(Duration.ofSeconds(60).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return this;
	}

	List<Attempt> attempts() {
		return List.copyOf(attempts);
	}

	List<Attempt> failedAttempts() {
		return attempts.stream().filter(attempt -> !expected(attempt)).toList();
	}

	Map<String, OrderOutcome> orders() {
		return Map.copyOf(orders);
	}

	/**
	 * @return attempts that started between the two instants (System.nanoTime())
	 */
	List<Attempt> attemptsBetween(long fromNanos, long toNanos) {
		return attempts.stream().filter(a -> a.startNanos() >= fromNanos && a.startNanos() < toNanos).toList();
	}

	/**
	 * @return e.g. {@code {200=120, 201=40}}: attempts per status, -1 for I/O errors
	 */
	static Map<Integer, Integer> byStatus(List<Attempt> attempts) {
		Map<Integer, Integer> counts = new TreeMap<>();
		attempts.forEach(attempt -> counts.merge(attempt.status(), 1, Integer::sum));
		return counts;
	}

	/**
	 * @return the {@code quantile} (0..1) of the attempts' latencies, in ms
	 */
	static double latencyMillis(List<Attempt> attempts, double quantile) {
		return FaultFigures.quantileMillis(attempts.stream().map(Attempt::nanos).toList(), quantile);
	}

	/**
	 * @return a one-line summary: attempts, failures by status, p50/p99 latency
	 */
	String summary() {
		List<Attempt> all = attempts();
		return String.format("attempts=%d failed=%d byStatus=%s p50=%.1fms p99=%.1fms duration=%.1fs", all.size(),
				failedAttempts().size(), byStatus(all), latencyMillis(all, 0.50), latencyMillis(all, 0.99),
				(System.nanoTime() - startNanos) / 1e9);
	}

	private static boolean expected(Attempt attempt) {
		return attempt.operation().equals("POST /api/orders") ? attempt.status() == 201 : attempt.status() == 200;
	}

	private void work(int worker) {
		long pauseMillis = 1000 / REQUESTS_PER_SECOND_PER_WORKER;
		for (long i = worker; running.get(); i++) {
			String userId = userIds.get((int) (i % userIds.size()));
			switch ((int) (i % 3)) {
				case 0 -> call("GET /api/users/{id}", () -> gateway.get("/api/users/" + userId));
				case 1 -> call("GET /api/users/{id}/orders", () -> gateway.get("/api/users/" + userId + "/orders"));
				default -> placeOrder(userId);
			}
			pause(pauseMillis);
		}
	}

	private void placeOrder(String userId) {
		String key = UUID.randomUUID().toString();
		String sku = "FAULT-" + key.substring(0, 8) + key.substring(9, 13);
		String body = "{\"userId\":\"" + userId + "\",\"sku\":\"" + sku + "\",\"quantity\":1}";
		for (int attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
			ApiResponse response = call("POST /api/orders",
					() -> gateway.post("/api/orders", body, "Idempotency-Key", key));
			if (response != null && response.status() == 201) {
				orders.put(key, new OrderOutcome(key, sku, userId, response.json().path("id").asString(), attempt));
				return;
			}
			if (response != null && response.status() < 500 && response.status() != 409) {
				break;
			}
			// 409 (in flight), 5xx or I/O error: the same request again, as Retry-After
			// says
			String retryAfter = (response != null) ? response.header("Retry-After") : null;
			pause((retryAfter != null) ? Long.parseLong(retryAfter) * 1000 : 200);
		}
		orders.put(key, new OrderOutcome(key, sku, userId, null, POST_ATTEMPTS));
	}

	private ApiResponse call(String operation, java.util.function.Supplier<ApiResponse> request) {
		long started = System.nanoTime();
		try {
			ApiResponse response = request.get();
			attempts.add(new Attempt(operation, response.status(), started, System.nanoTime() - started));
			return response;
		}
		catch (UncheckedIOException | IllegalStateException ex) {
			attempts.add(new Attempt(operation, -1, started, System.nanoTime() - started));
			return null;
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
