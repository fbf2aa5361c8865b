package dev.cloudref.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cloudref.launcher.AppProcess;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "dependency down": with every user-service instance stopped, order-service
 * answers {@code POST /api/orders} with a 503 problem and {@code Retry-After}; once its
 * circuit breaker is open it answers without calling out (the figure is the latency of
 * those answers), and it recovers by itself through half-open when user-service returns.
 */
@Order(5)
class DependencyDownFaultIT {

	@Test
	void ordersFailFastWhileUserServiceIsDownAndRecoverWithoutRestart() {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		String userId = FaultFigures.users(gateway, 1).get(0);
		List<AppProcess> stopped = List.copyOf(system.userServices);
		system.stopInstances(stopped, "USER-SERVICE");

		// Enough refusals for each order-service instance's breaker (minimum 10 calls) to
		// open.
		for (int i = 0; i < 30; i++) {
			assertProblem(placeOrder(gateway, userId, "DOWN-" + i, 1), 503);
		}
		List<Long> openMillis = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			long started = System.nanoTime();
			ApiResponse refused = placeOrder(gateway, userId, "OPEN-" + i, 1);
			openMillis.add((System.nanoTime() - started) / 1_000_000);
			assertProblem(refused, 503);
			assertThat(refused.header("Retry-After")).isNotBlank();
		}
		List<String> breakerStates = system.orderServices.stream()
			.map(app -> breakerState(system.prometheus(app)))
			.toList();

		long restarting = System.nanoTime();
		system.restart(stopped);
		Awaitility.await("orders accepted again")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> placeOrder(gateway, userId, "BACK", 1).status() == 201);
		long recoveredMillis = (System.nanoTime() - restarting) / 1_000_000;

		openMillis.sort(Long::compare);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("breakerStates", breakerStates);
		figures.put("openP50Ms", openMillis.get(openMillis.size() / 2));
		figures.put("openP99Ms", openMillis.get((int) Math.ceil(openMillis.size() * 0.99) - 1));
		figures.put("openMaxMs", openMillis.get(openMillis.size() - 1));
		figures.put("acceptedAgainAfterRestartMs", recoveredMillis);
		FaultFigures.report("dependency-down", figures);

		assertThat(breakerStates).as("circuit breaker user-service on each order-service instance")
			.containsOnly("open");
	}

	/**
	 * @return the state whose {@code resilience4j_circuitbreaker_state} gauge is 1 for
	 * user-service
	 */
	private static String breakerState(String prometheus) {
		return prometheus.lines()
			.filter(line -> line.startsWith("resilience4j_circuitbreaker_state{")
					&& line.contains("name=\"user-service\"") && line.endsWith(" 1.0"))
			.map(line -> line.replaceAll(".*state=\"([a-z_]+)\".*", "$1"))
			.findFirst()
			.orElse("unknown");
	}

}
