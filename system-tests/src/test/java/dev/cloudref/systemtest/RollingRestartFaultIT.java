package dev.cloudref.systemtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cloudref.launcher.AppProcess;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "graceful stop / rolling restart, zero failed requests": under steady load,
 * every service instance in turn gets SIGTERM (it leaves rotation, drains, finishes
 * in-flight requests, exits) and is started again; no client request may fail.
 */
@Order(3)
class RollingRestartFaultIT {

	@Test
	void restartingEveryInstanceInTurnUnderLoadFailsNoRequest() {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		LoadRun load = LoadRun.start(gateway, FaultFigures.users(gateway, 4), 4);
		FaultFigures.sleep(3000);

		List<AppProcess> order = List.of(system.userServices.get(0), system.orderServices.get(0),
				system.userServices.get(1), system.orderServices.get(1));
		List<Long> stopMillis = new ArrayList<>();
		long started = System.nanoTime();
		for (AppProcess instance : order) {
			long stopping = System.nanoTime();
			instance.stop(java.time.Duration.ofSeconds(30));
			stopMillis.add((System.nanoTime() - stopping) / 1_000_000);
			system.restart(List.of(instance));
			FaultFigures.sleep(2000);
		}
		long rollingMillis = (System.nanoTime() - started) / 1_000_000;
		load.stop();

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("load", load.summary());
		figures.put("instancesRestarted", order.size());
		figures.put("stopMs", stopMillis);
		figures.put("rollingRestartMs", rollingMillis);
		figures.putAll(FaultFigures.verifyOrders(gateway, load.orders()));
		FaultFigures.report("rolling-restart", figures);

		assertThat(load.failedAttempts()).as("failed requests during the rolling restart").isEmpty();
		assertThat(load.orders().values()).allSatisfy(placed -> assertThat(placed.orderId()).isNotNull());
	}

}
