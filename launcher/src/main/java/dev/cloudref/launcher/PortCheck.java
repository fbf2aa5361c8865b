package dev.cloudref.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Whether something already listens on a TCP port of this machine. */
final class PortCheck {

	private PortCheck() {
	}

	/**
	 * @param port a TCP port
	 * @return true when it cannot be bound on all addresses or something on 127.0.0.1
	 * accepts connections on it (either alone misses cases on some systems). On Linux and
	 * macOS the bind uses SO_REUSEADDR, as the apps' servers do: connections of a stopped
	 * run that linger in TIME_WAIT do not keep a port from being listened on.
	 */
	static boolean inUse(int port) {
		if (accepts("127.0.0.1", port)) {
			return true;
		}
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(java.io.File.separatorChar == '/');
			socket.bind(new InetSocketAddress(port));
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/**
	 * @param host a host name or address
	 * @param port a TCP port
	 * @return whether a connection to it is accepted within 200 ms (e.g. a RabbitMQ
	 * broker's AMQP port)
	 */
	static boolean accepts(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
