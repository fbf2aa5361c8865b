package dev.cloudref.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for one of the system's apps, run as a process by the launcher's tests: it
 * listens on {@code SERVER_PORT} and {@code MANAGEMENT_PORT} (or {@code EUREKA_PORT}),
 * answers the readiness probe with UP and, as a registry, lists {@code FAKE_UP} (default
 * 1) UP instances of any application. {@code FAKE_EXIT=<status>} makes it exit at once,
 * as an app that fails to start; on SIGTERM it prints {@code stopped at <epoch ms>}.
 */
public final class FakeApp {

	private FakeApp() {
	}

	public static void main(String[] args) throws IOException {
		String exit = System.getenv("FAKE_EXIT");
		if (exit != null) {
			System.out.println("failing on purpose with status " + exit);
			System.exit(Integer.parseInt(exit));
		}
		Set<Integer> ports = new LinkedHashSet<>();
		for (String name : new String[] { "EUREKA_PORT", "SERVER_PORT", "MANAGEMENT_PORT" }) {
			String value = System.getenv(name);
			if (value != null) {
				ports.add(Integer.parseInt(value));
			}
		}
		int up = Integer.parseInt(System.getenv().getOrDefault("FAKE_UP", "1"));
		for (int port : ports) {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
			server.createContext("/actuator/health/readiness", exchange -> reply(exchange, "{\"status\":\"UP\"}"));
			// Like the real registry: the REST API needs its credentials.
			String authorization = "Basic " + Base64.getEncoder()
				.encodeToString((System.getenv("EUREKA_USER") + ":" + System.getenv("EUREKA_PASSWORD"))
					.getBytes(StandardCharsets.UTF_8));
			server.createContext("/eureka/apps/", exchange -> {
				if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
					exchange.sendResponseHeaders(401, -1);
					exchange.close();
					return;
				}
				reply(exchange, "{\"application\":{\"instance\":["
						+ "{\"status\":\"UP\"},".repeat(up).replaceFirst(",$", "") + "]}}");
			});
			server.start();
		}
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> System.out.println("stopped at " + System.currentTimeMillis())));
		System.out.println("listening on " + ports);
	}

	private static void reply(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
