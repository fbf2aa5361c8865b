package dev.cloudref.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import com.sun.net.httpserver.HttpServer;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker in this JVM: Apache Qpid Broker-J with its configuration and
 * messages in memory, one user, listening on one address. {@code ./run-local.sh} starts
 * it as a process of its own when no RabbitMQ answers, so that the demo's events (and
 * Spring Cloud Bus) work on a machine with only a JDK. Nothing survives a restart.
 */
public final class EmbeddedBroker implements AutoCloseable {

	/** Qpid Broker-J's version, as the launcher reports it. */
	public static final String VERSION = "Apache Qpid Broker-J "
			+ SystemLauncher.class.getPackage().getImplementationVersion();

	private final SystemLauncher launcher;

	private final int port;

	private EmbeddedBroker(SystemLauncher launcher, int port) {
		this.launcher = launcher;
		this.port = port;
	}

	/**
	 * Starts a broker; returns once it accepts connections.
	 * @param address the address to listen on, e.g. {@code 127.0.0.1}
	 * @param port the AMQP port, e.g. 5672 (0 is not supported: Qpid needs the number)
	 * @param user the one user's name, e.g. {@code guest}
	 * @param password that user's password
	 * @param workDirectory where Qpid may write (it keeps nothing there that matters)
	 * @return the running broker
	 * @throws Exception what Qpid throws when it cannot start, e.g. the port is taken
	 */
	public static EmbeddedBroker start(String address, int port, String user, String password, Path workDirectory)
			throws Exception {
		Files.createDirectories(workDirectory);
		URL configuration = Objects.requireNonNull(EmbeddedBroker.class.getResource("/embedded-broker.json"),
				"embedded-broker.json");
		Map<String, String> context = new HashMap<>();
		context.put("qpid.amqp_port", String.valueOf(port));
		context.put("qpid.work_dir", workDirectory.toAbsolutePath().toString());
		context.put("broker.address", address);
		context.put("broker.user", user);
		context.put("broker.password", password);
		// Qpid's default for these is a classpath: URL, whose handler its own class
		// loader
		// cannot register inside an executable jar: an empty file instead.
		Path systemProperties = workDirectory.resolve("system.properties");
		if (!Files.exists(systemProperties)) {
			Files.createFile(systemProperties);
		}
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("type", "Memory");
		attributes.put("initialSystemPropertiesLocation", systemProperties.toUri().toString());
		attributes.put("initialConfigurationLocation", configuration.toExternalForm());
		attributes.put("startupLoggedToSystemOut", false);
		attributes.put("context", context);
		SystemLauncher launcher = new SystemLauncher();
		launcher.startup(attributes);
		return new EmbeddedBroker(launcher, port);
	}

	/**
	 * @return the AMQP port it listens on
	 */
	public int port() {
		return port;
	}

	/** Stops the broker; what it held is gone. */
	@Override
	public void close() {
		launcher.shutdown();
	}

	/**
	 * Runs a broker until the process is stopped. Environment: {@code BROKER_ADDRESS}
	 * (default {@code 127.0.0.1}), {@code BROKER_PORT} (5672), {@code BROKER_USER} and
	 * {@code BROKER_PASSWORD} ({@code guest}/{@code guest}), {@code BROKER_HEALTH_PORT}
	 * (15672: {@code GET /health} answers 200 while the broker runs), {@code DATA_DIR}
	 * ({@code ./.local/data}).
	 * @param args none
	 * @throws Exception if the broker cannot start
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> env = System.getenv();
		String address = env.getOrDefault("BROKER_ADDRESS", "127.0.0.1");
		int port = Integer.parseInt(env.getOrDefault("BROKER_PORT", "5672"));
		int healthPort = Integer.parseInt(env.getOrDefault("BROKER_HEALTH_PORT", "15672"));
		Path work = Path.of(env.getOrDefault("DATA_DIR", "./.local/data"), "embedded-broker");
		EmbeddedBroker broker = start(address, port, env.getOrDefault("BROKER_USER", "guest"),
				env.getOrDefault("BROKER_PASSWORD", "guest"), work);
		HttpServer health = healthEndpoint(address, healthPort);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			health.stop(0);
			broker.close();
		}, "embedded-broker-shutdown"));
		System.out.println("AMQP 0-9-1 broker (" + VERSION + ", in memory) listening on " + address + ":" + port
				+ "; health on http://" + address + ":" + healthPort + "/health");
	}

	private static HttpServer healthEndpoint(String address, int port) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
		server.createContext("/health", exchange -> {
			byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

}
