package dev.cloudref.systemtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the port of a killed instance to see who still sends it requests: every
 * connection is read up to its request line and then reset, so clients get the same I/O
 * error as from a dead process. Readiness probes ({@code GET /readyz}) are counted apart
 * from requests, so {@link #lastRequestNanos()} tells when the last client still chose
 * the dead instance.
 */
final class PortProbe implements AutoCloseable {

	private final ServerSocket listener;

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger probes = new AtomicInteger();

	private final AtomicLong lastRequestNanos = new AtomicLong();

	private PortProbe(ServerSocket listener) {
		this.listener = listener;
	}

	/**
	 * @param port the port the killed instance listened on
	 * @return a probe listening on it
	 */
	static PortProbe listen(int port) {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			PortProbe probe = new PortProbe(socket);
			Thread acceptor = new Thread(probe::accept, "port-probe-" + port);
			acceptor.setDaemon(true);
			acceptor.start();
			return probe;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot listen on " + port, ex);
		}
	}

	/**
	 * @return requests other than readiness probes that reached the dead port
	 */
	int requests() {
		return requests.get();
	}

	/**
	 * @return readiness probes that reached the dead port
	 */
	int probes() {
		return probes.get();
	}

	/**
	 * @return {@link System#nanoTime()} of the last request other than a probe, or 0
	 */
	long lastRequestNanos() {
		return lastRequestNanos.get();
	}

	@Override
	public void close() {
		try {
			listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private void accept() {
		while (!listener.isClosed()) {
			try (Socket socket = listener.accept()) {
				socket.setSoTimeout(500);
				String requestLine = readRequestLine(socket);
				if (requestLine.contains(" /readyz ")) {
					probes.incrementAndGet();
				}
				else {
					requests.incrementAndGet();
					lastRequestNanos.set(System.nanoTime());
				}
				socket.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// listener closed, or the client gave up
			}
		}
	}

	private static String readRequestLine(Socket socket) {
		try {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			String line = reader.readLine();
			return (line != null) ? line : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

}
