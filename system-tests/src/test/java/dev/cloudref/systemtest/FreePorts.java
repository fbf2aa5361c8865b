package dev.cloudref.systemtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the apps a test starts. A port handed out must stay free until the app binds
 * it, seconds later. Ports from the kernel's ephemeral range (what
 * {@code new ServerSocket(0)} returns, 32768-60999 on Linux) do not: every outgoing
 * connection of the running apps takes its local port from that range, and one of them
 * took a gateway's port before it bound it. So the ports come from below that range, and
 * this JVM never hands out one twice.
 */
final class FreePorts {

	/** Below Linux's default ephemeral range, above Stub Runner's 10000-15000. */
	private static final int FIRST = 20000;

	private static final int LAST = 32000;

	private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

	private FreePorts() {
	}

	/**
	 * @return a port nothing listens on now, on any address, and that this JVM has not
	 * handed out before
	 * @throws IllegalStateException if 1,000 random tries found none
	 */
	static int next() {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
			if (!handedOut.contains(port) && bindable(port) && handedOut.add(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port between " + FIRST + " and " + LAST);
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
