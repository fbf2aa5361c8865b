package dev.cloudref.launcher;

import java.util.function.IntConsumer;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP handled by the launcher itself, so that the first
 * one starts an orderly stop and a second one can cut it short, which shutdown hooks
 * cannot do. Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK); a signal
 * the platform does not have (SIGHUP on Windows) is skipped.
 */
final class Signals {

	private Signals() {
	}

	/** @param handler receives the signal's number (2, 15 or 1), on a JVM signal thread */
	@SuppressWarnings("restriction")
	static void onStop(IntConsumer handler) {
		for (String name : new String[] { "INT", "TERM", "HUP" }) {
			try {
				sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> handler.accept(signal.getNumber()));
			}
			catch (IllegalArgumentException ex) {
				// not on this platform, or reserved by the JVM (e.g. started with -Xrs)
			}
		}
	}

}
