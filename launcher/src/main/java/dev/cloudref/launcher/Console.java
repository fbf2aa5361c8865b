package dev.cloudref.launcher;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's output: timestamped lines, and a live status line while it waits
 * (rewritten in place on a terminal, else a "waiting:" line at most every 5 s). Output
 * never throws: a closed pipe must not keep the launcher from stopping what it started.
 */
final class Console implements LaunchedSystem.Listener {

	private final long started = System.nanoTime();

	private final PrintStream out = System.out;

	private final boolean terminal = isTerminal();

	private int statusLength;

	private long lastStatus;

	private String lastText = "";

	/**
	 * @return seconds since the launcher started
	 */
	long seconds() {
		return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
	}

	@Override
	public synchronized void event(String line) {
		clearStatus();
		out.printf("[run-local %4ds] %s%n", seconds(), line);
		out.flush();
	}

	@Override
	public synchronized void status(String line) {
		if (terminal) {
			String text = String.format("[run-local %4ds] %s", seconds(), line);
			int width = 160;
			if (text.length() > width) {
				text = text.substring(0, width - 3) + "...";
			}
			out.print("\r" + text + " ".repeat(Math.max(0, statusLength - text.length())));
			out.flush();
			statusLength = text.length();
		}
		else if (System.nanoTime() - lastStatus > TimeUnit.SECONDS.toNanos(5) && !line.equals(lastText)) {
			lastStatus = System.nanoTime();
			lastText = line;
			out.printf("[run-local %4ds] waiting: %s%n", seconds(), line);
			out.flush();
		}
	}

	/**
	 * @param line an error line, to stderr
	 */
	synchronized void error(String line) {
		clearStatus();
		System.err.println("[run-local] ERROR: " + line);
	}

	/**
	 * @param line a warning, to stderr
	 */
	synchronized void warn(String line) {
		clearStatus();
		System.err.println("[run-local] WARNING: " + line);
	}

	/**
	 * @param text printed as it is
	 */
	synchronized void print(String text) {
		clearStatus();
		out.print(text);
		out.flush();
	}

	private void clearStatus() {
		if (statusLength > 0) {
			out.print("\r" + " ".repeat(statusLength) + "\r");
			statusLength = 0;
		}
	}

	/**
	 * @return true when standard output is a terminal. From JDK 22
	 * {@code System.console()} exists for redirected output too, and
	 * {@code Console.isTerminal()} tells; before, a console exists only on a terminal.
	 */
	private static boolean isTerminal() {
		java.io.Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
