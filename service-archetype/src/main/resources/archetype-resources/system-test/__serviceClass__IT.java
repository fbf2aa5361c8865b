package dev.cloudref.systemtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ${artifactId} in the running system: one instance, started from its jar beside the
 * others, registers with Eureka; the gateway routes {@code /api/${resources}} to it from its
 * registration ({@code public-path}), with the API key, over TLS; its typed client checks
 * owners with the real user-service. Written by tools/new-service.sh; extend it as the
 * service grows.
 */
class ${serviceClass}IT {

	private static LocalSystem system;

	private static GatewayClient gateway;

	private static AppProcess service;

	@BeforeAll
	static void startBesideTheSystem() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
		Path appsDir = Path.of(System.getProperty("system-tests.apps-dir", "..")).toAbsolutePath().normalize();
		String version = System.getProperty("system-tests.version", "${version}");
		service = system.startBeside("${artifactId}-1",
				appsDir.resolve("${artifactId}/target/${artifactId}-" + version + ".jar"));
		system.awaitRegistered("${artifactId}".toUpperCase(Locale.ROOT), 1);
		// The gateway adds the route when its registry view (fetched every 2 s) has the service.
		Awaitility.await("a gateway route to ${artifactId}")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> gateway.get("/api/${resources}?ownerId=" + UUID.randomUUID()).status() == 200);
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.stop(Duration.ofSeconds(20));
		}
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
