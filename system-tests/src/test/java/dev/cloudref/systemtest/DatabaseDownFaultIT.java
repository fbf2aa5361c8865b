package dev.cloudref.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cloudref.launcher.AppProcess;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "database down": PostgreSQL is taken away from every service instance (the
 * {@link TcpProxy} between them stops listening and resets every connection). Requests
 * get 503 problem details with {@code Retry-After}, every instance reports itself not
 * ready (and leaves rotation), and when the database is back everything recovers without
 * a restart.
 */
@Order(6)
class DatabaseDownFaultIT {

	@Test
	void losingTheDatabaseGives503ProblemsAndNotReadyThenRecoversWithoutRestart() {
		LocalSystem system = LocalSystem.get();
		Assumptions.assumeTrue(system.databaseProxy != null,
				"needs -Dsystem-tests.db=postgres -Dsystem-tests.db-proxy=true (the faults profile sets the proxy)");
		GatewayClient gateway = system.gatewayClient();
		String userId = FaultFigures.users(gateway, 1).get(0);
		List<AppProcess> services = new ArrayList<>(system.userServices);
		services.addAll(system.orderServices);

		system.databaseProxy.cut();
		long cut = System.nanoTime();
		List<ApiResponse> duringOutage = new ArrayList<>();
		Awaitility.await("every instance not ready")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				duringOutage.add(gateway.get("/api/users/" + userId));
				return services.stream().allMatch(app -> system.readinessStatus(app) == 503);
			});
		long notReadyMillis = (System.nanoTime() - cut) / 1_000_000;
		for (int i = 0; i < 5; i++) {
			duringOutage
				.add(gateway.post("/api/users", "{\"name\":\"Lost\",\"email\":\"" + Fixtures.uniqueEmail() + "\"}"));
			duringOutage.add(gateway.get("/api/users/" + userId));
		}

		system.databaseProxy.restore();
		long restored = System.nanoTime();
		// Recovered = every path serves again, the user -> order fan-out included:
		// user-service takes the order-service instances back at its own next probe round
		// (up to 1 s after the gateway has), so a fan-out right after the gateway's
		// routes recover can still get 503.
		Awaitility.await("every instance ready and serving again")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> services.stream().allMatch(app -> system.readinessStatus(app) == 200)
					&& gateway.get("/api/users/" + userId).status() == 200
					&& gateway.get("/api/orders?userId=" + userId).status() == 200
					&& gateway.get("/api/users/" + userId + "/orders").status() == 200);
		long recoveredMillis = (System.nanoTime() - restored) / 1_000_000;

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("requestsDuringOutage", duringOutage.size());
		figures.put("statusesDuringOutage",
				duringOutage.stream().map(ApiResponse::status).distinct().sorted().toList());
		figures.put("allNotReadyAfterMs", notReadyMillis);
		figures.put("recoveredAfterDatabaseBackMs", recoveredMillis);
		FaultFigures.report("database-down", figures);

		assertThat(duringOutage).allSatisfy(response -> {
			assertProblem(response, 503);
			assertThat(response.header("Retry-After")).isNotBlank();
		});
		assertThat(gateway.get("/api/users/" + userId + "/orders").status()).isEqualTo(200);
	}

}
