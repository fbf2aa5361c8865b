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
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(java.io.File.separatorChar == '/');
			socket.bind(new InetSocketAddress(port));
		}
		catch (IOException ex) {
			return true;
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
