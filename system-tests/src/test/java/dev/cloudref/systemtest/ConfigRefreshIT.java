package dev.cloudref.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cloudref.launcher.AppProcess;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change in the config repository reaches every running app without a restart: the
 * config server sees the edited file and sends a refresh event over Spring Cloud Bus
 * (RabbitMQ), and each instance reloads its configuration. Shown on a log level, set in
 * the shared {@code application.yml} and read back from each instance's
 * {@code /actuator/loggers}.
 */
class ConfigRefreshIT {

	/** A logger no code uses, so that changing its level changes nothing else. */
	private static final String LOGGER = "dev.cloudref.systemtest.refresh";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static LocalSystem system;

	@BeforeAll
	static void start() {
		system = LocalSystem.get();
	}

	@Test
	void aLogLevelSetInTheSharedFileReachesEveryInstanceWithinSeconds() throws IOException, InterruptedException {
		List<AppProcess> apps = new ArrayList<>(system.userServices);
		apps.addAll(system.orderServices);
		apps.add(system.gateway);
		for (AppProcess app : apps) {
			assertThat(configuredLevel(app)).as(app.name()).isEqualTo("null");
		}

		Path shared = system.configRepository.resolve("application.yml");
		String before = Files.readString(shared);
		long changed = System.nanoTime();
		// A document of its own at the end: applies to every profile.
		Files.writeString(shared, "\n---\nlogging:\n  level:\n    " + LOGGER + ": DEBUG\n", StandardOpenOption.APPEND);
		try {
			for (AppProcess app : apps) {
				Awaitility.await(app.name() + " has the new level")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> configuredLevel(app).equals("DEBUG"));
			}
			System.out.printf("FIGURE config change to every instance: %d ms%n",
					Duration.ofNanos(System.nanoTime() - changed).toMillis());
		}
		finally {
			Files.writeString(shared, before);
		}
	}

	/**
	 * @return the level configured for {@link #LOGGER}, or "null" when none is (Spring
	 * Boot's loggers endpoint answers 404 for a logger nothing has configured or used)
	 */
	private static String configuredLevel(AppProcess app) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + "/actuator/loggers/" + LOGGER))
			.timeout(Duration.ofSeconds(5))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			return "null";
		}
		assertThat(response.statusCode()).as("%s loggers endpoint", app.name()).isEqualTo(200);
		return JSON.readTree(response.body()).path("configuredLevel").asString("null");
	}

}
