package dev.cloudref.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./run-local.sh} as a user meets it: the launcher's main class run as a process
 * against a repository of {@link FakeApp}s, its output read line by line.
 */
class RunLocalTest {

	@TempDir
	Path repository;

	private Process launcher;

	@AfterEach
	void stop() throws InterruptedException {
		if (launcher != null && launcher.isAlive()) {
			// Its apps first: killed, the launcher could not stop them.
			launcher.descendants().forEach(ProcessHandle::destroyForcibly);
			launcher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	@DisabledOnOs(OS.WINDOWS) // SIGTERM and kill -9 are POSIX; the launcher's stop is the
								// same elsewhere
	void startsReportsACrashedInstanceShowsStatusAndStopsOnSigterm() throws Exception {
		FakeSystem.create(repository);
		launcher = launch("--no-build");

		awaitLine("Press Ctrl-C to stop everything.", 60);
		assertThat(lines())
			.anyMatch(line -> line.contains("cloudref is up: fake-registry, 2x fake-service, fake-gateway"));
		assertThat(lines())
			.anyMatch(line -> line.contains("API key:") && line.contains("generated into .local/api-key"));
		assertThat(repository.resolve(".local/api-key")).exists();

		Process status = command("status");
		String table = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(status.waitFor()).isZero();
		assertThat(table).contains("INSTANCE").containsPattern("fake-service-2 +\\d+ +\\d+ +\\d+  alive +yes");

		long instancePid = pidOf(table, "fake-service-1");
		new ProcessBuilder("kill", "-9", String.valueOf(instancePid)).start().waitFor();
		awaitLine("fake-service-1 (pid " + instancePid + ") exited with status 137; still running: fake-service-2", 15);
		assertThat(launcher.isAlive()).as("the demo goes on without one instance").isTrue();

		launcher.destroy(); // SIGTERM, as Ctrl-C
		assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).isEqualTo(128 + 15);
		awaitLine("all processes stopped", 5);
		assertThat(lines()).anyMatch(line -> line.contains("stopping the gateway"));
		assertThat(repository.resolve(".local/launcher.state")).doesNotExist();
		assertThat(command("status").waitFor()).isEqualTo(3);
	}

	@Test
	void aPortInUseEndsTheStartWithItsOwner() throws Exception {
		List<AppSpec> apps = FakeSystem.create(repository);
		AppSpec gateway = apps.get(2);
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", gateway.port()));
			launcher = launch("--no-build");

			assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(launcher.exitValue()).isEqualTo(1);
			awaitLine("[run-local] ERROR: already in use: port " + gateway.port() + " (needed by fake-gateway)", 5);
		}
	}

	@Test
	void aMissingJarAsksForABuild() throws Exception {
		FakeSystem.create(repository);
		Files.delete(repository.resolve("fake-service/target/fake-service-1.0.jar"));
		launcher = launch("--no-build");

		assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).isEqualTo(1);
		awaitLine("no jar found in fake-service/target/", 5);
	}

	/** Starts the launcher with its output in a file (read by {@link #awaitLine}). */
	private Process launch(String... args) throws IOException {
		return command(output(), args);
	}

	private Path output() {
		return repository.resolve("launcher-output.txt");
	}

	private Process command(String... args) throws IOException {
		return command(null, args);
	}

	private Process command(Path output, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
				System.getProperty("java.class.path"), "-Dcloudref.repository=" + repository,
				RunLocal.class.getName()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (output != null) {
			builder.redirectOutput(output.toFile());
		}
		builder.environment().put("STARTUP_CACHE", "0");
		builder.environment().put("FAKE_UP", "2"); // the fake registry lists two of
													// everything
		builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
		builder.environment().put("JAVA_OPTS", "-Xmx32m -XX:TieredStopAtLevel=1");
		builder.environment().remove("DEMO_API_KEY");
		return builder.start();
	}

	private void awaitLine(String text, int seconds) throws InterruptedException, IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (lines().stream().anyMatch(line -> line.contains(text))) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError(
				"no line with '" + text + "' within " + seconds + "s; output:\n" + String.join("\n", lines()));
	}

	private List<String> lines() throws IOException {
		return Files.isRegularFile(output()) ? Files.readAllLines(output()) : List.of();
	}

	private static long pidOf(String table, String instance) {
		return table.lines()
			.filter(line -> line.startsWith(instance + " "))
			.map(line -> Long.parseLong(line.split("\\s+")[1]))
			.findFirst()
			.orElseThrow(() -> new AssertionError(instance + " not in:\n" + table));
	}

}
