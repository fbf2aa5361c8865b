package dev.cloudref.systemtest;

import java.net.http.HttpClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as the only public entry: TLS, HTTP/2, API keys, nothing internal exposed.
 */
class GatewayEdgeIT {

	private static LocalSystem system;

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
	}

	@Test
	void speaksHttp2OverTls() {
		ApiResponse response = gateway.get("/api/users?size=1");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
	}

	@Test
	void refusesMissingAndUnknownKeysAlike() {
		ApiResponse missing = gateway.anonymous("GET", "/api/users");
		ApiResponse unknown = gateway.anonymous("GET", "/api/users", GatewayClient.API_KEY, "not-the-key");

		assertProblem(missing, 401);
		assertProblem(unknown, 401);
		assertThat(unknown.body()).isEqualTo(missing.body());
		assertThat(missing.header("WWW-Authenticate")).contains("X-API-Key");
	}

	@Test
	void refusesRequestsWithoutKeyBeforeRouting() {
		assertProblem(gateway.anonymous("POST", "/api/orders"), 401);
		assertProblem(gateway.anonymous("GET", "/api/no-such-route"), 401);
	}

	@Test
	void answersUnknownRouteWithProblem() {
		assertProblem(gateway.get("/api/no-such-route"), 404);
	}

	@Test
	void exposesNoActuatorOfAnyApp() {
		for (String path : new String[] { "/actuator", "/actuator/health", "/actuator/prometheus",
				"/api/users/actuator/health", "/api/orders/actuator/prometheus", "/api/users/../actuator/health",
				"/api/users/%2e%2e/actuator/env" }) {
			ApiResponse response = gateway.get(path);
			assertThat(response.status()).as(path + " -> " + response).isIn(400, 404);
			assertThat(response.body()).doesNotContain("\"UP\"", "jvm_memory");
		}
	}

}
