package dev.cloudref.systemtest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service whose dependency is down answers fast with a 503 problem detail, and recovers
 * when it returns. Runs last: it stops instances.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyDownIT {

	private static LocalSystem system;

	private static GatewayClient gateway;

	private static String userId;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
		userId = createUser(gateway).path("id").asString();
	}

	@Test
	@Order(1)
	void refusesOrdersWith503WhileUserServiceIsDown() {
		system.stopInstances(system.userServices, "USER-SERVICE");
		try {
			ApiResponse refused = placeOrder(gateway, userId, "DOWN-1", 1);

			assertProblem(refused, 503);
			assertThat(refused.header("Retry-After")).isNotBlank();
		}
		finally {
			system.restart(system.userServices);
		}
		assertThat(placeOrder(gateway, userId, "UP-AGAIN", 1).status()).isEqualTo(201);
	}

	@Test
	@Order(2)
	void answers503ForUserOrdersWhileOrderServiceIsDown() {
		system.stopInstances(system.orderServices, "ORDER-SERVICE");

		ApiResponse unavailable = gateway.get("/api/users/" + userId + "/orders");

		assertProblem(unavailable, 503);
		assertThat(unavailable.header("Retry-After")).isNotBlank();
		assertThat(gateway.get("/api/users/" + userId).status()).isEqualTo(200);
	}

}
