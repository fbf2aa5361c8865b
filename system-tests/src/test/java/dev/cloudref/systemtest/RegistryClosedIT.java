package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cloudref.systemtest.Fixtures.createUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry is closed to strangers: a process that reaches Eureka but lacks its
 * credentials can neither register an instance (and so receive gateway traffic), nor
 * cancel a real one's lease, nor read the registry or its dashboard. The same
 * registration made with the credentials is accepted and does get traffic, so the refusal
 * is what keeps the impostor out.
 */
class RegistryClosedIT {

	private static final String IMPOSTOR_ID = "impostor:user-service:1";

	/** HTTP/1.1 without an h2c upgrade, as Eureka's own clients talk. */
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private static LocalSystem system;

	private static GatewayClient gateway;

	/** Answers every request 200, as a user-service instance that lies would. */
	private static HttpServer impostor;

	private static final AtomicInteger impostorRequests = new AtomicInteger();

	@BeforeAll
	static void start() throws IOException {
		system = LocalSystem.get();
		// The load key: these tests send more requests than the default bucket holds.
		gateway = system.loadGatewayClient();
		impostor = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 50);
		impostor.createContext("/", exchange -> {
			if (!exchange.getRequestURI().getPath().equals("/readyz")) {
				impostorRequests.incrementAndGet();
			}
			byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		impostor.start();
	}

	@AfterAll
	static void stop() {
		if (impostor != null) {
			// In case a failed test left it registered.
			send("DELETE", "/eureka/apps/USER-SERVICE/" + IMPOSTOR_ID, null,
					system.registryCredentials.authorization());
			impostor.stop(0);
		}
	}

	@Test
	void anAnonymousRegistrationIsRefusedAndTheGatewayNeverRoutesToIt() throws InterruptedException {
		assertThat(register(null)).as("anonymous registration").isEqualTo(401);
		assertThat(register(basic("registry", "guessed"))).as("registration with a wrong password").isEqualTo(401);
		assertThat(system.registryGet("/eureka/apps/USER-SERVICE")).doesNotContain(IMPOSTOR_ID);

		String userId = createUser(gateway).path("id").asString();
		int before = impostorRequests.get();
		// Longer than the gateway needs to see a new instance (registry fetch and
		// instance list every 2 s, health check every second): the positive control
		// below gets traffic within this time.
		long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
		int requests = 0;
		while (System.nanoTime() < until) {
			assertThat(gateway.get("/api/users/" + userId).status()).isEqualTo(200);
			requests++;
			Thread.sleep(10);
		}
		assertThat(impostorRequests.get() - before).as("requests that reached the impostor out of %d", requests)
			.isZero();
	}

	@Test
	void anonymousClientsCanNeitherReadTheRegistryNorCancelALease() {
		assertThat(send("GET", "/eureka/apps", null, null).statusCode()).as("GET /eureka/apps").isEqualTo(401);
		assertThat(send("GET", "/", null, null).statusCode()).as("the dashboard").isEqualTo(401);
		String realInstance = system.registryGet("/eureka/apps/USER-SERVICE")
			.replaceAll("(?s).*?\"instanceId\":\"([^\"]+)\".*", "$1");
		assertThat(send("DELETE", "/eureka/apps/USER-SERVICE/" + realInstance, null, null).statusCode())
			.as("anonymous cancel of %s", realInstance)
			.isEqualTo(401);
		assertThat(system.registryGet("/eureka/apps/USER-SERVICE")).contains(realInstance);
		assertThat(send("GET", "/actuator/health/readiness", null, null).statusCode())
			.as("the registry's readiness probe stays open")
			.isEqualTo(200);
	}

	@Test
	void theSameRegistrationWithTheCredentialsIsAcceptedAndGetsTraffic() {
		String authorization = system.registryCredentials.authorization();
		String userId = createUser(gateway).path("id").asString();
		assertThat(register(authorization)).as("registration with the credentials").isEqualTo(204);
		try {
			Awaitility.await("the gateway routes to the impostor registered with credentials")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					gateway.get("/api/users/" + userId);
					return impostorRequests.get() > 0;
				});
		}
		finally {
			assertThat(send("DELETE", "/eureka/apps/USER-SERVICE/" + IMPOSTOR_ID, null, authorization).statusCode())
				.as("cancel with the credentials")
				.isEqualTo(200);
		}
		// Out of rotation again before other tests run: 20 requests in a row miss it.
		AtomicInteger missedInARow = new AtomicInteger();
		Awaitility.await("the cancelled impostor out of the gateway's rotation")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				int before = impostorRequests.get();
				gateway.get("/api/users/" + userId);
				if (impostorRequests.get() != before) {
					missedInARow.set(0);
				}
				else {
					missedInARow.incrementAndGet();
				}
				return missedInARow.get() >= 20;
			});
	}

	/** Registers the impostor as an UP user-service instance; @return the status. */
	private static int register(String authorization) {
		int port = impostor.getAddress().getPort();
		String instance = """
				{"instance":{"instanceId":"%s","hostName":"127.0.0.1","app":"USER-SERVICE","ipAddr":"127.0.0.1",
				"vipAddress":"user-service","secureVipAddress":"user-service","status":"UP",
				"port":{"$":%d,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
				"leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":60},
				"metadata":{"management.port":"%d"},
				"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}"""
			.formatted(IMPOSTOR_ID, port, port);
		return send("POST", "/eureka/apps/USER-SERVICE", instance, authorization).statusCode();
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static HttpResponse<String> send(String method, String path, String json, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.eurekaPort + path))
			.timeout(Duration.ofSeconds(5))
			.header("Accept", "application/json")
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
