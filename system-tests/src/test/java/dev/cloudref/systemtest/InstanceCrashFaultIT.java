package dev.cloudref.systemtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cloudref.launcher.AppProcess;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item "instance crash, zero failed requests": under steady load through the
 * gateway, one instance of each service is killed with SIGKILL. No client request may
 * fail, every acknowledged order is stored once, and clients stop choosing the dead
 * instance within 5 s (its port is then watched by a {@link PortProbe}).
 */
@Order(2)
class InstanceCrashFaultIT {

	static final Duration EVICTION_BOUND = Duration.ofSeconds(5);

	@Test
	void killingAnInstanceOfEachServiceUnderLoadFailsNoRequest() {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		LoadRun load = LoadRun.start(gateway, FaultFigures.users(gateway, 4), 4);
		FaultFigures.sleep(4000);

		AppProcess userVictim = system.userServices.get(0);
		Crash userCrash = crash(system, userVictim);
		FaultFigures.sleep(6000);
		AppProcess orderVictim = system.orderServices.get(1);
		Crash orderCrash = crash(system, orderVictim);
		FaultFigures.sleep(8000);
		load.stop();

		long registryUserMillis = userCrash.registryEviction().join();
		long registryOrderMillis = orderCrash.registryEviction().join();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("load", load.summary());
		figures.put("userInstanceLeftRotationMs", userCrash.leftRotationMillis());
		figures.put("orderInstanceLeftRotationMs", orderCrash.leftRotationMillis());
		figures.put("requestsToDeadUserInstance", userCrash.probe().requests());
		figures.put("requestsToDeadOrderInstance", orderCrash.probe().requests());
		figures.put("registryEvictedUserMs", registryUserMillis);
		figures.put("registryEvictedOrderMs", registryOrderMillis);
		figures.putAll(FaultFigures.verifyOrders(gateway, load.orders()));
		FaultFigures.report("instance-crash", figures);
		userCrash.probe().close();
		orderCrash.probe().close();
		system.restart(List.of(userVictim, orderVictim));

		assertThat(load.failedAttempts()).as("failed requests during the crashes").isEmpty();
		assertThat(load.orders().values()).allSatisfy(order -> assertThat(order.orderId()).isNotNull());
		assertThat(userCrash.leftRotationMillis()).isLessThanOrEqualTo(EVICTION_BOUND.toMillis());
		assertThat(orderCrash.leftRotationMillis()).isLessThanOrEqualTo(EVICTION_BOUND.toMillis());
	}

	private static Crash crash(LocalSystem system, AppProcess victim) {
		String registryName = system.registryName(victim);
		int survivors = (registryName.equals("USER-SERVICE") ? system.userServices : system.orderServices).size() - 1;
		long killedAt = System.nanoTime();
		victim.kill();
		PortProbe probe = PortProbe.listen(victim.appPort());
		CompletableFuture<Long> registryEviction = CompletableFuture.supplyAsync(() -> {
			system.awaitRegistered(registryName, survivors);
			return (System.nanoTime() - killedAt) / 1_000_000;
		});
		return new Crash(killedAt, probe, registryEviction);
	}

	/**
	 * @param killedAt System.nanoTime() of the SIGKILL
	 * @param probe what still reached the dead instance's port
	 * @param registryEviction ms from the kill until Eureka no longer listed the instance
	 */
	record Crash(long killedAt, PortProbe probe, CompletableFuture<Long> registryEviction) {

		/**
		 * @return ms from the kill until the last request that still chose the dead
		 * instance (0: none)
		 */
		long leftRotationMillis() {
			long last = probe.lastRequestNanos();
			return (last == 0) ? 0 : (last - killedAt) / 1_000_000;
		}

	}

}
