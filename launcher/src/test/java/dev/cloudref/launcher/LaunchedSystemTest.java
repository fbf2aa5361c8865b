package dev.cloudref.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Starts and stops systems of {@link FakeApp}s as real processes. */
class LaunchedSystemTest {

	@TempDir
	Path repository;

	private final List<String> events = Collections.synchronizedList(new ArrayList<>());

	private LaunchedSystem system;

	@AfterEach
	void stopLeftovers() {
		if (system != null) {
			system.stop(Duration.ofSeconds(5));
		}
	}

	@Test
	void startsInOrderWaitsUntilRegisteredAndStopsTheOtherWay() throws IOException {
		SystemPlan plan = plan(Map.of("FAKE_UP", "2"));

		system.start(plan, repository.resolve("gateway.crt"), "key", Duration.ofSeconds(60));

		assertThat(system.processes()).extracting(AppProcess::name)
			.containsExactly("fake-registry", "fake-service-1", "fake-service-2", "fake-gateway");
		assertThat(system.processes()).allMatch(AppProcess::isAlive);
		assertThat(events).anyMatch(e -> e.startsWith("registered: FAKE-SERVICE 2/2, FAKE-GATEWAY 2/1"));

		system.stop(Duration.ofSeconds(10));

		assertThat(system.processes()).noneMatch(AppProcess::isAlive);
		long gatewayStopped = stoppedAt("fake-gateway");
		long serviceStopped = Math.max(stoppedAt("fake-service-1"), stoppedAt("fake-service-2"));
		assertThat(gatewayStopped)
			.isLessThanOrEqualTo(Math.min(stoppedAt("fake-service-1"), stoppedAt("fake-service-2")));
		assertThat(serviceStopped).isLessThanOrEqualTo(stoppedAt("fake-registry"));
	}

	@Test
	void anAppThatExitsDuringStartUpIsReportedWithItsLog() throws IOException {
		SystemPlan plan = plan(Map.of("FAKE_EXIT", "3"));

		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> system.start(plan, repository.resolve("gateway.crt"), "key", Duration.ofSeconds(60)))
			.withMessageMatching("fake-service-\\d \\(pid \\d+\\) exited during start-up with status 3")
			.satisfies(ex -> assertThat(ex.details()).contains("failing on purpose with status 3"));
	}

	@Test
	void aPortInUseIsNamedWithItsInstance() throws IOException {
		SystemPlan plan = plan(Map.of());
		Instance gateway = plan.gateway();
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", gateway.managementPort()));

			assertThatExceptionOfType(LaunchException.class).isThrownBy(() -> LaunchedSystem.checkPortsFree(plan))
				.withMessage(
						"already in use: port " + gateway.managementPort() + " (needed by fake-gateway management)");
		}
	}

	/** The fake system; {@code environment} goes to the services and the gateway. */
	private SystemPlan plan(Map<String, String> environment) throws IOException {
		List<AppSpec> apps = FakeSystem.create(repository);
		Path logs = Files.createDirectories(repository.resolve("logs"));
		system = new LaunchedSystem(FakeSystem.jdk(), List.of("-Xmx32m"), null, logs, false,
				new LaunchedSystem.Listener() {

					@Override
					public void event(String line) {
						events.add(line);
					}

					@Override
					public void status(String line) {
					}

				});
		return SystemPlan.builder(apps)
			.registryCredentials(new RegistryCredentials("registry", "fake-password", "test"))
			.ports(SystemPlan.Ports.FIXED)
			.jars(app -> repository.resolve(app.name()).resolve("target").resolve(app.name() + "-1.0.jar"))
			.environment(Map.of("FAKE_UP", environment.getOrDefault("FAKE_UP", "2")))
			.environment("fake-service", environment)
			.environment("fake-registry", Map.of("FAKE_UP", environment.getOrDefault("FAKE_UP", "2")))
			.build();
	}

	private long stoppedAt(String instance) throws IOException {
		return Files.readAllLines(repository.resolve("logs").resolve(instance + ".log"))
			.stream()
			.filter(line -> line.startsWith("stopped at "))
			.mapToLong(line -> Long.parseLong(line.substring("stopped at ".length())))
			.findFirst()
			.orElseThrow(() -> new AssertionError(instance + " logged no graceful stop"));
	}

}
