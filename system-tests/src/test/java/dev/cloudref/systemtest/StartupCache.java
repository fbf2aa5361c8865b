package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the system tests start a packaged app: as {@code run-local.sh} does, through
 * {@code tools/startup-cache.sh} (extracted jar plus a JDK AOT cache on JDK 25+, a CDS
 * archive on 17-24, made once per build by a training run), or plainly with
 * {@code java -jar} and the JDK that runs the tests.
 *
 * <p>Switched on by the system property {@code system-tests.startup-cache=true}; off by
 * default. The script's own switch {@code STARTUP_CACHE=0} also turns the cache off
 * (then only its choice of JDK remains). Anything that goes wrong falls back to the
 * plain start: a cache must never be why a test fails.
 */
final class StartupCache {

	/** Longest a training run may take (it runs once per app and build). */
	private static final long TRAINING_TIMEOUT_MINUTES = 5;

	private StartupCache() {
	}

	static boolean enabled() {
		return Boolean.getBoolean("system-tests.startup-cache");
	}

	/**
	 * @param appsDir the repository root, which holds {@code tools/startup-cache.sh}
	 * @return the java executable to start the apps with: the script's choice (JAVA_HOME,
	 * else the newest JDK 25+ installed, else java on PATH) when enabled, else the one
	 * running the tests
	 */
	static String java(Path appsDir) {
		String own = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		if (!enabled()) {
			return own;
		}
		List<String> lines = run(appsDir, List.of("java"));
		return (lines.isEmpty() || lines.get(0).isBlank()) ? own : lines.get(0).strip();
	}

	/**
	 * @param appsDir the repository root
	 * @param java the java executable the app will run on
	 * @param jar the app's executable jar
	 * @param jvmOptions the JVM options it will run with (the cache is made with them)
	 * @return the java arguments after the JVM options: {@code -XX:AOTCache=...} (or
	 * {@code -XX:SharedArchiveFile=...}), {@code -jar}, the extracted jar; or
	 * {@code -jar <jar>} when disabled or on any failure
	 */
	static List<String> launchArguments(Path appsDir, String java, Path jar, List<String> jvmOptions) {
		List<String> plain = List.of("-jar", jar.toString());
		if (!enabled()) {
			return plain;
		}
		// Beside the jar it belongs to: `mvn clean` removes both, and the H2 and PostgreSQL
		// runs of one build share it.
		Path cacheDir = jar.getParent().resolve("startup-cache").resolve("system-tests");
		List<String> command = new ArrayList<>(List.of("args", java, jar.toString(), cacheDir.toString()));
		command.addAll(jvmOptions);
		List<String> lines = run(appsDir, command);
		return lines.contains("-jar") ? lines : plain;
	}

	/** Runs the script; its stdout lines, or none if it failed. Its stderr goes to ours. */
	private static List<String> run(Path appsDir, List<String> arguments) {
		Path script = appsDir.resolve("tools").resolve("startup-cache.sh");
		if (!Files.isRegularFile(script)) {
			return List.of();
		}
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).directory(appsDir.toFile())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				return List.of();
			}
			return out.lines().filter(line -> !line.isEmpty()).toList();
		}
		catch (IOException ex) {
			System.err.println("startup-cache.sh failed, starting from the fat jar: " + new UncheckedIOException(ex));
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

}
