package dev.cloudref.systemtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "registry down": Eureka is killed under load. The gateway keeps routing and
 * the services keep calling each other from their cached registries; when Eureka is back,
 * every instance registers again by itself (no restart), and no client request fails at
 * any point.
 */
@Order(4)
class RegistryDownFaultIT {

	@Test
	void losingTheRegistryUnderLoadFailsNoRequestAndEveryoneRegistersAgain() {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		LoadRun load = LoadRun.start(gateway, FaultFigures.users(gateway, 4), 4);
		FaultFigures.sleep(3000);

		system.eureka.kill();
		long killed = System.nanoTime();
		FaultFigures.sleep(15_000);
		long restarting = System.nanoTime();
		List<LoadRun.Attempt> duringOutage = load.attemptsBetween(killed, restarting);
		system.restartEureka();
		long eurekaUp = System.nanoTime();
		system.awaitRegistered("USER-SERVICE", system.userServices.size());
		system.awaitRegistered("ORDER-SERVICE", system.orderServices.size());
		system.awaitRegistered("API-GATEWAY", 1);
		long reregisteredMillis = (System.nanoTime() - eurekaUp) / 1_000_000;
		FaultFigures.sleep(6000);
		load.stop();

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("load", load.summary());
		figures.put("registryDownMs", (restarting - killed) / 1_000_000);
		figures.put("requestsWhileDown", duringOutage.size());
		figures.put("failedWhileDown",
				duringOutage.stream().filter(a -> a.status() != 200 && a.status() != 201).count());
		figures.put("allReregisteredAfterRegistryUpMs", reregisteredMillis);
		figures.putAll(FaultFigures.verifyOrders(gateway, load.orders()));
		FaultFigures.report("registry-down", figures);

		assertThat(duringOutage).as("requests while the registry was down").isNotEmpty();
		assertThat(load.failedAttempts()).as("failed requests during and after the outage").isEmpty();
	}

}
