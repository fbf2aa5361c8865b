package dev.cloudref.systemtest;

import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ${artifactId} in the running system: its instance (started with the others, as
 * launcher/apps.conf lists it) registers with Eureka; the gateway routes
 * {@code /api/${resources}} to it from its registration ({@code public-path}), with the API
 * key, over TLS; its typed client checks owners with the real user-service. Written by
 * tools/new-service.sh; extend it as the service grows.
 */
class ${serviceClass}IT {

	private static GatewayClient gateway;

	@BeforeAll
	static void theSystemRoutesToIt() {
		LocalSystem system = LocalSystem.get();
		gateway = system.gatewayClient();
		system.awaitRegistered("${artifactId}".toUpperCase(Locale.ROOT), 1);
		assertThat(gateway.get("/api/${resources}?ownerId=" + UUID.randomUUID()).status()).isEqualTo(200);
	}

	@Test
	void createsAndReadsThroughTheGateway() {
		String owner = createUser(gateway).path("id").asString();

		ApiResponse created = gateway.post("/api/${resources}", "{\"name\":\"First\",\"ownerId\":\"" + owner + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode resource = created.json();
		assertThat(created.header("Location")).isEqualTo("/api/${resources}/" + resource.path("id").asString());
		ApiResponse read = gateway.get(created.header("Location"));
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		assertThat(read.json().path("ownerId").asString()).isEqualTo(owner);
	}

	@Test
	void refusesAnUnknownOwnerAndRequestsWithoutAKey() {
		assertProblem(gateway.post("/api/${resources}", "{\"name\":\"First\",\"ownerId\":\"" + UUID.randomUUID() + "\"}"),
				422);
		assertProblem(gateway.anonymous("GET", "/api/${resources}?ownerId=" + UUID.randomUUID()), 401);
	}

}
