package dev.cloudref.systemtest;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "load must never look like an outage", cold start: right after the fault
 * suite's system is routable (this class runs first), a burst of {@value #REQUESTS}
 * {@code GET /api/users/{id}} with {@value #IN_FLIGHT} in flight through the gateway.
 * Busy instances must stay in rotation: no {@code 5xx}, no "no instance" answer, no I/O
 * error. The API key's rate limit may answer {@code 429} (its bucket holds 200 requests
 * and refills 100 a second), which is the limit working.
 */
@Order(0)
class ColdStartBurstFaultIT {

	static final int REQUESTS = 400;

	static final int IN_FLIGHT = 32;

	@Test
	void aBurstRightAfterStartGetsNoServerErrorAndNoInstanceLeavesRotation() throws Exception {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		String userId = FaultFigures.users(gateway, 1).get(0);

		long started = System.nanoTime();
		List<ApiResponse> answers = new ArrayList<>();
		int ioErrors = 0;
		ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
		try {
			List<Future<ApiResponse>> calls = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				calls.add(clients.submit(() -> gateway.get("/api/users/" + userId)));
			}
			for (Future<ApiResponse> call : calls) {
				try {
					answers.add(call.get());
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof UncheckedIOException)) {
						throw ex;
					}
					ioErrors++;
				}
			}
		}
		finally {
			clients.shutdownNow();
		}
		long millis = (System.nanoTime() - started) / 1_000_000;

		Map<Integer, Integer> byStatus = new TreeMap<>();
		answers.forEach(answer -> byStatus.merge(answer.status(), 1, Integer::sum));
		long noInstance = answers.stream()
			.filter(answer -> answer.body().contains("nable to find instance")
					|| answer.body().contains("o servers available"))
			.count();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("requests", REQUESTS);
		figures.put("inFlight", IN_FLIGHT);
		figures.put("byStatus", byStatus);
		figures.put("ioErrors", ioErrors);
		figures.put("noInstanceAnswers", noInstance);
		figures.put("durationMs", millis);
		FaultFigures.report("cold-start-burst", figures);

		assertThat(ioErrors).as("I/O errors").isZero();
		assertThat(noInstance).as("\"no instance\" answers").isZero();
		assertThat(byStatus.keySet()).as("statuses").allMatch(status -> status == 200 || status == 429);
		assertThat(byStatus.getOrDefault(200, 0)).as("answered 200").isPositive();
	}

}
