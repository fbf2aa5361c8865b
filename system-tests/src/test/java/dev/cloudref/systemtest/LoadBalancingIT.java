package dev.cloudref.systemtest;

import java.util.List;

import dev.cloudref.launcher.AppProcess;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests spread over every instance: gateway → services, and service → service. */
class LoadBalancingIT {

	private static final int REQUESTS = 40;

	private static LocalSystem system;

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
	}

	@Test
	void gatewaySpreadsRequestsOverEveryUserServiceInstance() {
		String userId = createUser(gateway).path("id").asString();
		List<Long> before = served(system.userServices, "/users/{id}");

		for (int i = 0; i < REQUESTS; i++) {
			assertThat(gateway.get("/api/users/" + userId).status()).isEqualTo(200);
		}

		List<Long> after = served(system.userServices, "/users/{id}");
		assertEveryInstanceServed(before, after);
	}

	@Test
	void userServiceSpreadsCallsOverEveryOrderServiceInstance() {
		String userId = createUser(gateway).path("id").asString();
		List<Long> before = served(system.orderServices, "/orders");

		for (int i = 0; i < REQUESTS; i++) {
			assertThat(gateway.get("/api/users/" + userId + "/orders").status()).isEqualTo(200);
		}

		assertEveryInstanceServed(before, served(system.orderServices, "/orders"));
	}

	@Test
	void orderServiceSpreadsUserChecksOverEveryUserServiceInstance() {
		String userId = createUser(gateway).path("id").asString();
		List<Long> before = served(system.userServices, "/users/{id}");

		for (int i = 0; i < REQUESTS / 2; i++) {
			assertThat(placeOrder(gateway, userId, "LB-" + i, 1).status()).isEqualTo(201);
		}

		assertEveryInstanceServed(before, served(system.userServices, "/users/{id}"));
	}

	private static List<Long> served(List<AppProcess> instances, String uriTemplate) {
		return instances.stream().map(app -> system.servedRequests(app, uriTemplate)).toList();
	}

	private static void assertEveryInstanceServed(List<Long> before, List<Long> after) {
		for (int i = 0; i < before.size(); i++) {
			assertThat(after.get(i) - before.get(i))
				.as("requests served by instance %d (before %s, after %s)", i + 1, before, after)
				.isGreaterThan(0);
		}
	}

}
