package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cloudref.launcher.AppProcess;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static dev.cloudref.systemtest.Fixtures.uniqueEmail;
import static dev.cloudref.systemtest.TracingIT.traceId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs of the running apps: every line written while serving a request carries the
 * request's trace id (the one the gateway returns in {@code X-Trace-Id}) in the
 * correlation block {@code [<traceId>-<spanId>]}, and no log ever holds an API key. The
 * apps run with {@code spring.reactor.context-propagation=limited} and write these lines
 * in {@code handle}/{@code tap} (service-starter's TraceLogging).
 */
class LogsIT {

	private static LocalSystem system;

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
	}

	@Test
	void logLinesOfUserCreationCarryTheTraceIdOfTheRequest() {
		ApiResponse created = gateway.post("/api/users", "{\"name\":\"Log Test\",\"email\":\"" + uniqueEmail() + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String traceId = traceId(created);
		String userId = created.json().path("id").asString();
		awaitLogLine(system.userServices, traceId, "Created user " + userId);
		awaitLogLine(List.of(system.gateway), traceId, "dev.cloudref.gateway.access",
				"POST /api/users 201 key=system-test ");
	}

	@Test
	void logLinesOfOrderPlacementCarryTheTraceIdOfTheRequestInEveryApp() {
		ApiResponse user = gateway.post("/api/users", "{\"name\":\"Log Test\",\"email\":\"" + uniqueEmail() + "\"}");
		assertThat(user.status()).as(user.toString()).isEqualTo(201);
		String userId = user.json().path("id").asString();

		String key = "log-" + UUID.randomUUID();
		ApiResponse placed = placeOrder(gateway, userId, "LOG-1", 3, "Idempotency-Key", key);

		assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
		String traceId = traceId(placed);
		JsonNode order = placed.json();
		awaitLogLine(system.orderServices, traceId,
				"Placed order " + order.path("id").asString() + " for user " + userId);
		awaitLogLine(List.of(system.gateway), traceId, "dev.cloudref.gateway.access",
				"POST /api/orders 201 key=system-test ");

		// The repeat is answered from service-starter's idempotency store, logged there.
		ApiResponse replayed = placeOrder(gateway, userId, "LOG-1", 3, "Idempotency-Key", key);
		assertThat(replayed.status()).as(replayed.toString()).isEqualTo(201);
		awaitLogLine(system.orderServices, traceId(replayed),
				"Replayed resource " + order.path("id").asString() + " for Idempotency-Key " + key);
	}

	@Test
	void noLogHoldsAnApiKeyTheRegistryPasswordOrAClientSecret() {
		String wrongKey = "wrong-key-" + UUID.randomUUID();
		assertProblem(gateway.anonymous("GET", "/api/users", GatewayClient.API_KEY, wrongKey), 401);
		assertThat(gateway.get("/api/users?page=0&size=1").status()).isEqualTo(200);
		// The lines of these requests are written once the responses complete.
		awaitLogLine(List.of(system.gateway), null, "dev.cloudref.gateway.access", "GET /api/users 401 key=none ");

		Pattern headerDump = Pattern.compile("(?i)x-api-key\"?\\s*[:=]\\s*\"?\\[?\"?[A-Za-z0-9]");
		try (Stream<Path> logs = Files.list(system.workDir.resolve("logs"))) {
			List<Path> files = logs.filter(Files::isRegularFile).toList();
			assertThat(files).as("log files").hasSizeGreaterThanOrEqualTo(LocalSystem.INSTANCES * 2 + 2);
			for (Path file : files) {
				String log = read(file);
				assertThat(log).as("log %s holds the API key", file).doesNotContain(system.apiKey);
				// Every app's registry URL carries it (EUREKA_URL).
				assertThat(log).as("log %s holds the registry's password", file)
					.doesNotContain(system.registryCredentials.password());
				assertThat(log).as("log %s holds the OAuth client's secret", file).doesNotContain(system.clientSecret);
				assertThat(log).as("log %s holds a refused API key", file).doesNotContain(wrongKey);
				assertThat(headerDump.matcher(log).find())
					.as("log %s holds an X-API-Key header value: %s", file,
							headerDump.matcher(log).results().map(match -> match.group()).toList())
					.isFalse();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits until one of the apps' logs has a line with the trace id in its correlation
	 * block (if {@code traceId} is not null) and all the given fragments. Lines are
	 * written asynchronously to the request, so this polls briefly.
	 */
	private static void awaitLogLine(List<AppProcess> apps, String traceId, String... fragments) {
		Pattern correlation = (traceId != null) ? Pattern.compile("\\[" + traceId + "-[0-9a-f]{16}\\]") : null;
		Awaitility
			.await("log line with " + List.of(fragments) + " and trace " + traceId + " in "
					+ apps.stream().map(AppProcess::name).toList())
			.atMost(Duration.ofSeconds(10))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> apps.stream()
				.flatMap(app -> read(app.log()).lines())
				.anyMatch(line -> (correlation == null || correlation.matcher(line).find())
						&& Stream.of(fragments).allMatch(line::contains)));
	}

	private static String read(Path file) {
		try {
			return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
