package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged app running as an OS process ({@code java -jar}), with its output in a
 * log file.
 *
 * @param name a name unique in the system, e.g. {@code user-service-1}
 * @param appPort the port of its HTTP API
 * @param managementPort the port of its actuator
 * @param log the file its stdout and stderr go to
 * @param process the running process
 * @param command the command line, to start it again
 * @param environment the environment it got, to start it again
 */
record AppProcess(String name, int appPort, int managementPort, Path log, Process process, List<String> command,
		Map<String, String> environment) {

	/** JVM options: small heap, quick start; these are tests, not benchmarks. */
	static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Dh2.bindAddress=127.0.0.1");

	/**
	 * Starts one of this project's apps, through {@link StartupCache} (a JDK AOT cache or
	 * CDS archive when {@code system-tests.startup-cache=true}, else {@code java -jar}).
	 * @param appsDir the repository root
	 */
	static AppProcess startApp(String name, Path appsDir, Path jar, int appPort, int managementPort,
			Map<String, String> environment, Path logDir) {
		String java = appJava(appsDir);
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(JVM_OPTIONS);
		command.addAll(StartupCache.launchArguments(appsDir, java, jar, JVM_OPTIONS));
		return launch(name, appPort, managementPort, logDir.resolve(name + ".log"), command, environment);
	}

	private static String appJava;

	private static synchronized String appJava(Path appsDir) {
		if (appJava == null) {
			appJava = StartupCache.java(appsDir);
			System.out.println("Apps run on " + appJava + (StartupCache.enabled() ? " with a start-up cache" : ""));
		}
		return appJava;
	}

	/**
	 * @param arguments program arguments after the jar, e.g. {@code --name=value}
	 */
	static AppProcess start(String name, Path jar, int appPort, int managementPort, Map<String, String> environment,
			Path logDir, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(List.of(arguments));
		return launch(name, appPort, managementPort, logDir.resolve(name + ".log"), command, environment);
	}

	/**
	 * @return the same app started again with the same ports, command and environment;
	 * its log continues in the same file
	 */
	AppProcess restart() {
		return launch(name, appPort, managementPort, log, command, environment);
	}

	private static AppProcess launch(String name, int appPort, int managementPort, Path log, List<String> command,
			Map<String, String> environment) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		try {
			return new AppProcess(name, appPort, managementPort, log, builder.start(), command, environment);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name, ex);
		}
	}

	boolean isAlive() {
		return process.isAlive();
	}

	/** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
	void stop(Duration grace) {
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/** SIGKILL, as a crash: no shutdown hook, no deregistration, in-flight requests cut. */
	void kill() {
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** @return the last {@code lines} lines of the log, for failure messages */
	String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(log);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
