package dev.cloudref.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints every thread of the test JVM (the service under test runs in it) when a test
 * fails because a {@code WebTestClient} call got no answer in time, so that a rare hang
 * on a busy CI machine shows where the request was stuck.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

	/** What Reactor's {@code block(Duration)} says when the answer did not come. */
	private static final String BLOCKING_READ_TIMEOUT = "Timeout on blocking read";

	/** Frames printed per thread: enough to see the caller below Netty and Reactor. */
	private static final int MAX_FRAMES = 40;

	/**
	 * Prints the thread dump to standard error when the failure is a blocking-read
	 * timeout, then fails the test with the original exception in every case.
	 * @param context the failed test
	 * @param throwable why it failed
	 * @throws Throwable always {@code throwable}
	 */
	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		if (isBlockingReadTimeout(throwable)) {
			System.err.println(threadDump(context.getDisplayName()));
		}
		throw throwable;
	}

	static boolean isBlockingReadTimeout(Throwable throwable) {
		for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains(BLOCKING_READ_TIMEOUT)) {
				return true;
			}
		}
		return false;
	}

	static String threadDump(String testName) {
		StringBuilder dump = new StringBuilder("Thread dump at the blocking-read timeout of ").append(testName)
			.append(System.lineSeparator());
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
		Arrays.sort(threads, Comparator.comparing(ThreadInfo::getThreadName));
		for (ThreadInfo thread : threads) {
			dump.append('"')
				.append(thread.getThreadName())
				.append("\" ")
				.append(thread.getThreadState())
				.append(thread.getLockName() != null ? " on " + thread.getLockName() : "")
				.append(System.lineSeparator());
			StackTraceElement[] frames = thread.getStackTrace();
			for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
				dump.append("\tat ").append(frames[i]).append(System.lineSeparator());
			}
			if (frames.length > MAX_FRAMES) {
				dump.append("\t... ").append(frames.length - MAX_FRAMES).append(" more").append(System.lineSeparator());
			}
		}
		return dump.toString();
	}

}
