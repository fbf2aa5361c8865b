package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port in front of a real server (here PostgreSQL), so a test
 * can take the server away from the apps and give it back without touching the server
 * itself: {@link #cut()} closes the listening port and every open connection, as a
 * stopped database does; {@link #restore()} listens on the same port again.
 */
final class TcpProxy implements AutoCloseable {

	private final int port;

	private final InetSocketAddress target;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket listener;

	/**
	 * @param port the loopback port to listen on
	 * @param target where to forward each connection
	 */
	TcpProxy(int port, InetSocketAddress target) {
		this.port = port;
		this.target = target;
	}

	int port() {
		return port;
	}

	/** Listens again (or for the first time) on the proxy's port. */
	synchronized TcpProxy restore() {
		if (listener != null) {
			return this;
		}
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			listener = socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot listen on " + port, ex);
		}
		ServerSocket accepting = listener;
		Thread acceptor = new Thread(() -> accept(accepting), "tcp-proxy-" + port);
		acceptor.setDaemon(true);
		acceptor.start();
		return this;
	}

	/** Stops listening and resets every open connection: clients see the server gone. */
	synchronized void cut() {
		closeQuietly(listener);
		listener = null;
		connections.forEach(TcpProxy::reset);
		connections.clear();
	}

	@Override
	public void close() {
		cut();
	}

	private void accept(ServerSocket accepting) {
		while (!accepting.isClosed()) {
			try {
				Socket client = accepting.accept();
				Socket server = new Socket();
				server.connect(target, 2000);
				connections.add(client);
				connections.add(server);
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				// listener closed by cut(), or the target refused: the client's socket
				// closes
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				connections.remove(from);
				connections.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// already closed
		}
		closeQuietly(socket);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

}
