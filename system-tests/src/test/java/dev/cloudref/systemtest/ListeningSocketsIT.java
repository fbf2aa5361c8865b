package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.cloudref.launcher.AppProcess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@code ss -ltnp} shows after the system started: every TCP socket that the
 * system's processes listen on is bound to loopback, except the gateway's public HTTPS
 * port. That includes ports nobody configured, such as the server H2 starts for
 * {@code AUTO_SERVER} (which binds to every interface unless told otherwise). Read from
 * Linux's {@code /proc} (socket inodes of each process, matched against
 * {@code /proc/net/tcp} and {@code tcp6}), so it runs only there.
 */
class ListeningSocketsIT {

	private static final String LISTEN = "0A";

	record Listener(String app, String address, int port) {
	}

	@Test
	void onlyTheGatewaysPublicPortListensBeyondLoopback() {
		assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
		LocalSystem system = LocalSystem.get();
		List<AppProcess> apps = new ArrayList<>(system.allApps());
		apps.add(system.eureka);
		if (system.authServer != null) {
			apps.add(system.authServer);
		}

		List<Listener> listeners = new ArrayList<>();
		for (AppProcess app : apps) {
			listeners.addAll(listeners(app.name(), app.process().pid()));
		}

		// Each app's own port is among them, so the reading is not empty by mistake.
		assertThat(listeners).extracting(Listener::port)
			.contains(system.gateway.appPort(), system.userServices.get(0).appPort(),
					system.userServices.get(0).managementPort());
		assertThat(listeners)
			.filteredOn(
					listener -> !(listener.app().equals("api-gateway") && listener.port() == system.gateway.appPort()))
			.allSatisfy(listener -> assertThat(isLoopback(listener.address())).as(listener.toString()).isTrue());
	}

	private static List<Listener> listeners(String app, long pid) {
		Set<String> inodes = socketInodes(pid);
		List<Listener> found = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : lines(Path.of(table)).stream().skip(1).toList()) {
				String[] fields = line.trim().split("\\s+");
				if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
					String[] local = fields[1].split(":");
					found.add(new Listener(app, local[0], Integer.parseInt(local[1], 16)));
				}
			}
		}
		return found;
	}

	/**
	 * The inodes of the sockets that the process holds ({@code socket:[inode]} links).
	 */
	private static Set<String> socketInodes(long pid) {
		Set<String> inodes = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
			for (Path fd : fds.toList()) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// The descriptor was closed while listing.
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return inodes;
	}

	/**
	 * @param hex the address as {@code /proc/net/tcp*} shows it: IPv4 as 8 hex digits in
	 * host (little-endian) order; IPv6 as 32, four little-endian 32-bit words
	 */
	static boolean isLoopback(String hex) {
		if (hex.length() == 8) {
			return hex.endsWith("7F");
		}
		String ipv4Mapped = "0000000000000000FFFF0000";
		return hex.equals("00000000000000000000000001000000")
				|| (hex.startsWith(ipv4Mapped) && hex.substring(ipv4Mapped.length()).endsWith("7F"));
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
