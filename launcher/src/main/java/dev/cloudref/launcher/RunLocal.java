package dev.cloudref.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./run-local.sh}: runs the whole demo on a bare machine (a JDK, no Docker), each
 * app of {@code launcher/apps.conf} as a JVM process, until Ctrl-C stops them in order;
 * {@code status} shows a running system. State lives under {@code .local/}.
 */
public final class RunLocal {

	/**
	 * JVM options sized from measurements (docs/benchmarks.md, "Memory"): heap capped at
	 * three times the live set; metaspace, code cache and direct buffers capped so that a
	 * leak ends in an OutOfMemoryError and exit instead of a slow climb.
	 */
	static final String DEFAULT_JVM_OPTIONS = "-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=192m "
			+ "-XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError";

	static final int ZIPKIN_PORT = 9411;

	static final String ZIPKIN_VERSION = "3.6.1";

	/** The module of the broker started when no RabbitMQ answers. */
	static final String EMBEDDED_BROKER = "embedded-broker";

	/** The authorization server's app name (apps.conf). */
	static final String AUTH_SERVER = "auth-server";

	/** The port of the embedded broker's {@code GET /health}. */
	static final int BROKER_HEALTH_PORT = 15672;

	private static final Duration STOP_BUDGET = Duration.ofSeconds(25);

	private final Path repository;

	private final Path local;

	private final Console console = new Console();

	private final Map<String, String> env = System.getenv();

	/** The embedded broker's jar when it is to run, else null. */
	private Path brokerJar;

	private RunLocal(Path repository) {
		this.repository = repository;
		this.local = repository.resolve(".local");
	}

	/**
	 * @param args see {@code ./run-local.sh --help}
	 */
	public static void main(String[] args) {
		Path repository = Path.of(System.getProperty("cloudref.repository", ".")).toAbsolutePath().normalize();
		System.exit(new RunLocal(repository).run(Arrays.asList(args)));
	}

	private int run(List<String> args) {
		if (!args.isEmpty() && args.get(0).equals("startup-cache")) {
			return startupCache(args.subList(1, args.size()));
		}
		Options options;
		try {
			options = Options.parse(args, env);
		}
		catch (IllegalArgumentException ex) {
			System.err.print(Usage.text());
			console.error(ex.getMessage());
			return 2;
		}
		if (options.help()) {
			console.print(Usage.text());
			return 0;
		}
		try {
			if (options.command().equals("status")) {
				return new StatusView(local).print();
			}
			return start(options);
		}
		catch (LaunchException ex) {
			console.error(ex.getMessage());
			if (!ex.details().isEmpty()) {
				System.err.println(ex.details());
			}
			return 1;
		}
		catch (IllegalStateException | IllegalArgumentException | UncheckedIOException | IOException ex) {
			console.error(ex.getMessage());
			return 1;
		}
	}

	private int start(Options options) throws IOException {
		List<AppSpec> apps = AppCatalog.load(repository);
		Jdk jdk = Jdk.select();
		Build build = new Build(repository);
		Path zipkinJar = local.resolve("zipkin").resolve("zipkin-server-" + ZIPKIN_VERSION + "-exec.jar");
		Files.createDirectories(local);
		ApiKey.ownerOnly(local);
		ApiKey key = ApiKey.resolve(local.resolve("api-key"), env.get("DEMO_API_KEY"));
		RegistryCredentials registry = RegistryCredentials.resolve(local.resolve("registry-password"), env);
		// The demo OAuth client's secret; the authorization server gets its hash only.
		LocalSecret clientSecret = LocalSecret.resolve(local.resolve("demo-client-secret"), "DEMO_CLIENT_SECRET",
				env.get("DEMO_CLIENT_SECRET"));
		// The demo user's password (the authorization code grant: Swagger UI's login).
		LocalSecret userPassword = LocalSecret.resolve(local.resolve("demo-user-password"), "DEMO_USER_PASSWORD",
				env.get("DEMO_USER_PASSWORD"));
		LaunchedSystem
			.checkPortsFree(plan(options, apps, app -> repository, zipkinJar, Map.of(), Map.of(), registry, Map.of()));

		boolean slow = false;
		Optional<String> reason = switch (options.build()) {
			case "always" -> Optional.of("--build");
			case "never" -> Optional.empty();
			default -> build.reason(apps.stream().map(AppSpec::name).toList());
		};
		boolean built = reason.isPresent();
		if (built) {
			console.event("building (" + reason.get() + "): ./mvnw -B -q package -DskipTests");
			long t0 = console.seconds();
			if (build.maven("-B", "-q", "package", "-DskipTests") != 0) {
				throw new LaunchException("the Maven build failed (see above)", "");
			}
			console.event("build finished in " + (console.seconds() - t0) + "s");
			slow = true;
		}
		Map<String, Path> jars = new HashMap<>();
		for (AppSpec app : apps) {
			jars.put(app.name(),
					build.jar(app.name())
						.orElseThrow(() -> new LaunchException("no jar found in " + app.name() + "/target/ (expected "
								+ app.name() + "/target/" + app.name() + "-<version>.jar); run ./run-local.sh --build",
								"")));
		}
		if (options.zipkin() && !Files.isRegularFile(zipkinJar)) {
			String artifact = "io.zipkin:zipkin-server:" + ZIPKIN_VERSION + ":jar:exec";
			console.event("fetching " + artifact + " (~135 MB, once) into .local/zipkin/");
			Files.createDirectories(zipkinJar.getParent());
			if (build.maven("-B", "-q", "-N", "dependency:copy", "-Dartifact=" + artifact,
					"-DoutputDirectory=" + zipkinJar.getParent()) != 0 || !Files.isRegularFile(zipkinJar)) {
				throw new LaunchException("could not fetch the Zipkin jar (see above)", "");
			}
			slow = true;
		}

		Path logs = Files.createDirectories(local.resolve("logs"));
		Path data = Files.createDirectories(local.resolve("data"));
		Path certs = Files.createDirectories(local.resolve("certs"));

		Map<String, String> common = new HashMap<>();
		common.put("DATA_DIR", data.toString());
		// Tokens are issued for, and checked against, the gateway's public address.
		String issuer = "https://localhost:" + apps.stream()
			.filter(app -> app.role() == AppSpec.Role.GATEWAY)
			.findFirst()
			.map(AppSpec::port)
			.orElse(8443);
		common.put("AUTH_ISSUER", issuer);
		common.put("GATEWAY_OAUTH2_ISSUER", issuer);
		if (needsEmbeddedBroker()) {
			brokerJar = build.jar(EMBEDDED_BROKER)
				.orElseThrow(() -> new LaunchException("no jar found in " + EMBEDDED_BROKER + "/target/; run "
						+ "./run-local.sh --build, or start RabbitMQ", ""));
		}
		if (options.postgres()) {
			common.putAll(postgres(apps));
		}
		Map<String, String> gateway = Map.of("GATEWAY_API_KEYS", "demo:" + key.sha256(), "GATEWAY_TLS_DIR",
				certs.toString(), "GATEWAY_HSTS_MAX_AGE", env.getOrDefault("GATEWAY_HSTS_MAX_AGE", "5m"));
		SystemPlan plan = plan(options, apps, app -> jars.get(app.name()), zipkinJar, common, gateway, registry,
				Map.of("AUTH_DEMO_CLIENT_SECRET_HASH", ClientSecretHash.of(clientSecret.value()),
						"AUTH_DEMO_USER_PASSWORD_HASH", ClientSecretHash.of(userPassword.value())));
		List<String> jvmOptions = new ArrayList<>(Arrays.asList(DEFAULT_JVM_OPTIONS.split(" ")));
		Arrays.stream(env.getOrDefault("JAVA_OPTS", "").trim().split("\\s+"))
			.filter(o -> !o.isEmpty())
			.forEach(jvmOptions::add);
		boolean cache = StartupCache.enabledByEnvironment();
		console.event("Java " + jdk.major() + " (" + jdk.java() + "), JVM options: " + String.join(" ", jvmOptions)
				+ "; start-up cache: " + (!cache ? "off (STARTUP_CACHE)"
						: (jdk.major() >= 25) ? "JDK AOT cache" : "CDS archive (a JDK >= 25 would use an AOT cache)"));
		console.event("API key " + key.source() + "; registry password (user " + registry.user() + ") "
				+ registry.source() + "; OAuth client demo's secret " + clientSecret.source()
				+ "; user demo's password (login) " + userPassword.source() + "; state in .local/");
		LaunchedSystem system = new LaunchedSystem(jdk, jvmOptions, cache ? local.resolve("startup-cache") : null, logs,
				true, console);
		long beforeCaches = console.seconds();
		system.prepareStartupCaches(plan);
		if (slow || console.seconds() - beforeCaches >= 2) {
			LaunchedSystem.checkPortsFree(plan); // that may have taken a while
		}
		AtomicInteger signal = new AtomicInteger();
		Thread main = Thread.currentThread();
		Signals.onStop(number -> {
			if (signal.compareAndSet(0, number)) {
				main.interrupt();
			}
			else {
				console.warn("second signal: killing everything at once");
				system.hurry();
			}
		});
		Thread safetyNet = new Thread(() -> system.processes().forEach(p -> p.process().destroyForcibly()));
		Runtime.getRuntime().addShutdownHook(safetyNet);
		Path state = local.resolve("launcher.state");
		try {
			long launched = console.seconds();
			system.start(plan, certs.resolve("gateway.crt"), key.value(), options.startupTimeout());
			StatusView.write(state, plan, system);
			console.print(Usage.banner(plan, key, repository, console.seconds(), console.seconds() - launched, built,
					options));
			return watch(system, plan, signal);
		}
		catch (LaunchException ex) {
			if (signal.get() != 0) {
				console.event("received a stop signal");
				return 128 + signal.get();
			}
			throw ex;
		}
		finally {
			Thread.interrupted();
			console.event("shutting down (up to " + STOP_BUDGET.toSeconds() + "s; press Ctrl-C again to kill at once)");
			long t0 = console.seconds();
			system.stop(STOP_BUDGET);
			Files.deleteIfExists(state);
			console.event("all processes stopped (" + (console.seconds() - t0) + "s)");
		}
	}

	/**
	 * {@code ./run-local.sh startup-cache JAVA JAR DIR [JVM_OPTION...]} (for
	 * bench/startup.sh): makes the cache if needed and prints the java arguments that
	 * start JAR with it, one per line.
	 */
	private int startupCache(List<String> args) {
		if (args.size() < 3) {
			console.error("usage: ./run-local.sh startup-cache JAVA JAR CACHE_DIR [JVM_OPTION...]");
			return 2;
		}
		Jdk jdk = Jdk.of(Path.of(args.get(0)));
		if (jdk == null) {
			console.error("cannot run " + args.get(0));
			return 1;
		}
		StartupCache
			.launchArguments(jdk, Path.of(args.get(1)), Path.of(args.get(2)), args.subList(3, args.size()),
					line -> System.err.println("[startup-cache] " + line))
			.forEach(System.out::println);
		return 0;
	}

	/**
	 * The order events and Spring Cloud Bus need an AMQP 0-9-1 broker: a RabbitMQ that
	 * answers at RABBITMQ_HOST:RABBITMQ_PORT (default localhost:5672), else the embedded
	 * one (module embedded-broker, Apache Qpid Broker-J, in memory) on 127.0.0.1 at that
	 * port. The console says which.
	 * @return whether to start the embedded broker
	 */
	private boolean needsEmbeddedBroker() {
		String host = env.getOrDefault("RABBITMQ_HOST", "localhost");
		int port = brokerPort();
		if (PortCheck.accepts(host, port)) {
			console.event("broker: RabbitMQ at " + host + ":" + port + " carries the order events and config changes"
					+ " (Spring Cloud Bus: an edit in config-repo/ reaches the apps in seconds)");
			return false;
		}
		console.event("broker: no RabbitMQ at " + host + ":" + port + ", starting the embedded AMQP 0-9-1 broker"
				+ " (Apache Qpid Broker-J, in memory, 127.0.0.1:" + port
				+ ") for the order events and config changes; its messages are gone when it stops");
		return true;
	}

	private int brokerPort() {
		return Integer.parseInt(env.getOrDefault("RABBITMQ_PORT", "5672"));
	}

	private SystemPlan plan(Options options, List<AppSpec> apps, java.util.function.Function<AppSpec, Path> jars,
			Path zipkinJar, Map<String, String> common, Map<String, String> gateway, RegistryCredentials registry,
			Map<String, String> authServer) {
		SystemPlan.Builder builder = SystemPlan.builder(apps)
			.instances(options.instances())
			.registryPeers(options.registryPeers())
			.registryCredentials(registry)
			.jars(jars)
			.configRepository(repository.resolve("config-repo"))
			.environment(common);
		apps.stream()
			.filter(app -> app.role() == AppSpec.Role.GATEWAY)
			.forEach(app -> builder.environment(app.name(), gateway));
		builder.environment(AUTH_SERVER, authServer);
		AppClients.configure(builder, apps, AUTH_SERVER);
		if (brokerJar != null) {
			builder.embeddedBroker(brokerJar, brokerPort(), BROKER_HEALTH_PORT);
		}
		return builder.zipkin(options.zipkin() ? zipkinJar : null, ZIPKIN_PORT).build();
	}

	/**
	 * Foreground: after start-up only the gateway's exit ends the demo; any other
	 * instance that exits (kill -9 for the fault demo) is reported and the rest keeps
	 * running.
	 * @return the exit status: 128 + the signal's number, or 1 when the gateway exited
	 */
	private int watch(LaunchedSystem system, SystemPlan plan, AtomicInteger signal) {
		Set<String> reported = new HashSet<>();
		String gateway = plan.gateway().name();
		while (signal.get() == 0) {
			for (AppProcess process : system.processes()) {
				if (process.isAlive() || !reported.add(process.name() + process.process().pid())) {
					continue;
				}
				int status = process.process().exitValue();
				if (process.name().equals(gateway)) {
					console.error(process + " exited with status " + status);
					System.err.println("---- last 30 lines of " + process.log() + " ----");
					System.err.println(process.logTail(30));
					return 1;
				}
				String base = process.name().replaceFirst("-\\d+$", "");
				List<String> siblings = system.processes()
					.stream()
					.filter(p -> p != process && p.isAlive() && p.name().replaceFirst("-\\d+$", "").equals(base))
					.map(AppProcess::name)
					.toList();
				console.warn(process + " exited with status " + status
						+ (siblings.isEmpty()
								? " and is down; everything else keeps running (the launcher does not restart it; "
										+ "Ctrl-C and start again to get it back)"
								: "; still running: " + String.join(", ", siblings)
										+ " (requests go on to them; the launcher does not restart it)"));
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				// a stop signal: the loop condition ends it
			}
		}
		console.event("received a stop signal");
		return 128 + signal.get();
	}

	/**
	 * The environment for PostgreSQL (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD; default
	 * localhost:5432, user postgres), creating each service's database with
	 * {@code createdb} when {@code psql} is there and cannot connect to it.
	 */
	private Map<String, String> postgres(List<AppSpec> apps) {
		String host = env.getOrDefault("DB_HOST", "localhost");
		String port = env.getOrDefault("DB_PORT", "5432");
		String user = env.getOrDefault("DB_USER", "postgres");
		String password = env.getOrDefault("DB_PASSWORD", "");
		List<String> databases = apps.stream().map(AppSpec::database).filter(d -> d != null).toList();
		for (String database : databases) {
			if (command(password, "psql", "-h", host, "-p", port, "-U", user, "-d", database, "-Atc",
					"select 1") != 0) {
				console.event("creating PostgreSQL database " + database + " on " + host + ":" + port);
				if (command(password, "createdb", "-h", host, "-p", port, "-U", user, database) != 0) {
					throw new LaunchException("cannot create database " + database + " on " + host + ":" + port + " as "
							+ user + " (is PostgreSQL running?)", "");
				}
			}
		}
		console.event("services use PostgreSQL at " + host + ":" + port + " (databases " + String.join(", ", databases)
				+ ")");
		return Map.of("SPRING_PROFILES_ACTIVE", "local,postgres", "DB_HOST", host, "DB_PORT", port, "DB_USER", user,
				"DB_PASSWORD", password);
	}

	/**
	 * @return the command's exit status, or 0 when it is not installed (nothing to do)
	 */
	private static int command(String password, String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("PGPASSWORD", password);
		try {
			return builder.start().waitFor();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

}
