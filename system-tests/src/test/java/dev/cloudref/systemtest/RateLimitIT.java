package dev.cloudref.systemtest;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Each API key is held to its own token bucket at the gateway. */
class RateLimitIT {

	private static LocalSystem system;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
	}

	@Test
	void refusesAKeyOverItsLimitWith429AndRetryAfterWhileOtherKeysPass() {
		GatewayClient limited = system.limitedGatewayClient();
		List<ApiResponse> responses = new ArrayList<>();
		for (int i = 0; i < LocalSystem.LIMITED_KEY_CAPACITY + 2; i++) {
			responses.add(limited.get("/api/users?size=1"));
		}

		List<ApiResponse> allowed = responses.subList(0, LocalSystem.LIMITED_KEY_CAPACITY);
		assertThat(allowed).allSatisfy(response -> {
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			assertThat(response.header("RateLimit-Limit")).isEqualTo(String.valueOf(LocalSystem.LIMITED_KEY_CAPACITY));
		});
		assertThat(allowed.get(allowed.size() - 1).header("RateLimit-Remaining")).isEqualTo("0");

		ApiResponse refused = responses.get(LocalSystem.LIMITED_KEY_CAPACITY);
		assertProblem(refused, 429);
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
		assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(refused.header("X-Trace-Id")).matches("[0-9a-f]{32}");

		assertThat(system.gatewayClient().get("/api/users?size=1").status()).as("another key's bucket").isEqualTo(200);
	}

	@Test
	void countsRateLimitDecisionsPerKeyIdNeverTheKey() {
		for (int i = 0; i < LocalSystem.LIMITED_KEY_CAPACITY + 1; i++) {
			system.limitedGatewayClient().get("/api/users?size=1");
		}

		String metrics = system
			.get("http://127.0.0.1:" + system.gateway.managementPort() + "/actuator/prometheus", "text/plain")
			.body();
		assertThat(metrics).containsPattern(
				"gateway_rate_limit_requests_total\\{[^}]*api_key_id=\"limited\"[^}]*outcome=\"limited\"[^}]*\\} [1-9]");
		assertThat(metrics).contains("api_key_id=\"system-test\"").doesNotContain(system.limitedApiKey, system.apiKey);
	}

}
