package dev.cloudref.launcher;

import java.util.function.IntConsumer;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP handled by the launcher itself through
 * {@code sun.misc.Signal}, so that the first starts an orderly stop and a second cuts it
 * short, which shutdown hooks cannot do.
 */
final class Signals {

	private Signals() {
	}

	/**
	 * @param handler receives the signal's number (2, 15 or 1), on a JVM signal thread
	 */
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
