package dev.cloudref.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One app instance running as an OS process, its stdout and stderr appended to a log
 * file. With {@code detachFromTerminal} it ignores SIGINT and SIGHUP, so that the
 * launcher, not the terminal's Ctrl-C, decides the order in which the apps stop.
 */
public final class AppProcess {

	private final String name;

	private final int appPort;

	private final int managementPort;

	private final Path log;

	private final Process process;

	private final List<String> command;

	private final Map<String, String> environment;

	private final boolean detachFromTerminal;

	private AppProcess(String name, int appPort, int managementPort, Path log, Process process, List<String> command,
			Map<String, String> environment, boolean detachFromTerminal) {
		this.name = name;
		this.appPort = appPort;
		this.managementPort = managementPort;
		this.log = log;
		this.process = process;
		this.command = List.copyOf(command);
		this.environment = Map.copyOf(environment);
		this.detachFromTerminal = detachFromTerminal;
	}

	/**
	 * Starts a process.
	 * @param name unique in the system, e.g. {@code user-service-1}
	 * @param appPort the port of its HTTP API
	 * @param managementPort the port of its actuator
	 * @param log the file its output is appended to (its directory must exist)
	 * @param command the command line, e.g. {@code java -Xmx128m -jar app.jar}
	 * @param environment added to the launcher's own environment
	 * @param detachFromTerminal true: ignore the terminal's SIGINT and SIGHUP (POSIX
	 * only)
	 * @return the started process
	 * @throws UncheckedIOException if the process cannot be started
	 */
	public static AppProcess start(String name, int appPort, int managementPort, Path log, List<String> command,
			Map<String, String> environment, boolean detachFromTerminal) {
		List<String> actual = command;
		if (detachFromTerminal && File.separatorChar == '/') {
			actual = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT HUP; exec \"$0\" \"$@\""));
			actual.addAll(command);
		}
		ProcessBuilder builder = new ProcessBuilder(actual).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		try {
			return new AppProcess(name, appPort, managementPort, log, builder.start(), command, environment,
					detachFromTerminal);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name + " (" + command.get(0) + ")", ex);
		}
	}

	private static File nullDevice() {
		return new File(File.separatorChar == '/' ? "/dev/null" : "NUL");
	}

	/**
	 * @return the same app started again with the same ports, command and environment;
	 * its log continues in the same file
	 * @throws UncheckedIOException if the process cannot be started
	 */
	public AppProcess restart() {
		return start(name, appPort, managementPort, log, command, environment, detachFromTerminal);
	}

	/**
	 * @param extraEnvironment added to (and over) the environment it was started with
	 * @return the same app started again with the same ports and command, and the
	 * environment with these additions; its log continues in the same file
	 * @throws UncheckedIOException if the process cannot be started
	 */
	public AppProcess restart(Map<String, String> extraEnvironment) {
		Map<String, String> merged = new HashMap<>(environment);
		merged.putAll(extraEnvironment);
		return start(name, appPort, managementPort, log, command, merged, detachFromTerminal);
	}

	/**
	 * @return the instance's name, e.g. {@code user-service-1}
	 */
	public String name() {
		return name;
	}

	/**
	 * @return the port of its HTTP API
	 */
	public int appPort() {
		return appPort;
	}

	/**
	 * @return the port of its actuator (the same as {@link #appPort()} for the registry)
	 */
	public int managementPort() {
		return managementPort;
	}

	/**
	 * @return the file its output goes to
	 */
	public Path log() {
		return log;
	}

	/**
	 * @return the OS process
	 */
	public Process process() {
		return process;
	}

	/**
	 * @return true while the process runs
	 */
	public boolean isAlive() {
		return process.isAlive();
	}

	/**
	 * Asks the process to stop (SIGTERM on POSIX) and waits; then kills it (SIGKILL) if
	 * it has not exited within {@code grace}.
	 * @param grace how long a graceful stop may take
	 */
	public void stop(Duration grace) {
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

	/** Kills the process (SIGKILL), as a crash: no shutdown hook, no deregistration. */
	public void kill() {
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * @param lines how many lines
	 * @return the last lines of the log, for error messages
	 */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(log);
			return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	@Override
	public String toString() {
		return name + " (pid " + process.pid() + ")";
	}

}
