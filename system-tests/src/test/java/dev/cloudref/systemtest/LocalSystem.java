package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cloudref.launcher.ApiKey;
import dev.cloudref.launcher.AppCatalog;
import dev.cloudref.launcher.AppClients;
import dev.cloudref.launcher.AppProcess;
import dev.cloudref.launcher.AppSpec;
import dev.cloudref.launcher.ClientSecretHash;
import dev.cloudref.launcher.Instance;
import dev.cloudref.launcher.Jdk;
import dev.cloudref.launcher.LaunchException;
import dev.cloudref.launcher.LaunchedSystem;
import dev.cloudref.launcher.RegistryCredentials;
import dev.cloudref.launcher.SystemPlan;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * The whole system started from the packaged jars as OS processes on free loopback ports,
 * by the launcher that {@code ./run-local.sh} runs and from the same app list
 * ({@code launcher/apps.conf}): a Zipkin server (first, so that every span has somewhere
 * to go), Eureka, two instances each of user-service and order-service, and the gateway.
 * Started once per test JVM (the first test class that asks for it) and stopped when the
 * JVM exits.
 *
 * <p>
 * System properties (set by the module's failsafe configuration):
 * {@code system-tests.apps-dir} (repository root), {@code system-tests.version},
 * {@code system-tests.work-dir} (logs, data, certificate), {@code system-tests.db}
 * ({@code h2} or {@code postgres}); for PostgreSQL {@code system-tests.db.host},
 * {@code .port}, {@code .user}, {@code .password}; {@code system-tests.zipkin-jar} (the
 * Zipkin server's executable jar, copied there by the build);
 * {@code system-tests.db-proxy} (true: the services reach PostgreSQL through a
 * {@link TcpProxy} that fault tests can cut); {@code system-tests.extra-env} (see
 * {@link #extraEnvironment()}); {@code system-tests.startup-cache} (true: the apps run on
 * the newest JDK with a start-up cache, as {@code ./run-local.sh} starts them).
 */
final class LocalSystem {

	static final int INSTANCES = 2;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static LocalSystem running;

	private static RuntimeException startFailure;

	final Path workDir;

	final String apiKey;

	/**
	 * A second key, id {@value #LIMITED_KEY_ID}, whose bucket holds
	 * {@value #LIMITED_KEY_CAPACITY} requests.
	 */
	final String limitedApiKey;

	static final String LIMITED_KEY_ID = "limited";

	static final int LIMITED_KEY_CAPACITY = 5;

	/**
	 * A third key, id {@value #LOAD_KEY_ID}, whose bucket is too large to matter: load
	 * tests that measure the system, not the per-key rate limit.
	 */
	final String loadApiKey;

	static final String LOAD_KEY_ID = "load";

	final Path certificate;

	final int eurekaPort;

	/** The gateway's HTTPS port, chosen before start: the tokens' issuer names it. */
	final int gatewayPort;

	/** The secret of the OAuth client {@code demo} (auth-server gets its hash). */
	final String clientSecret;

	/** The password of auth-server's demo user {@code demo} (the login form). */
	final String userPassword;

	/** The registry's account; every app's service URL carries it. */
	final RegistryCredentials registryCredentials;

	/**
	 * The HTTP port of Zipkin (UI and API, e.g. {@code /api/v2/trace/{id}}) on 127.0.0.1.
	 */
	final int zipkinPort;

	/**
	 * The config repository the system's config server serves: a copy of the repository's
	 * {@code config-repo/} in the work directory, so that a test may add or change a file
	 * there without touching the repository.
	 */
	final Path configRepository;

	/** The config server's URL, e.g. {@code http://127.0.0.1:40123}; set at start. */
	String configServerUrl;

	/**
	 * Whether this machine's RabbitMQ accepts connections at 127.0.0.1:5672 (CI starts
	 * one): the apps' broker for the order events and Spring Cloud Bus. Without it they
	 * use the embedded broker (module embedded-broker) on a free port, as
	 * {@code ./run-local.sh} does; the broker fault tests need the real one.
	 */
	final boolean rabbitMq = acceptsConnections(5672);

	/**
	 * The order events' exchange and user-service's queues of the system tests: their
	 * own, so that a demo running on the same RabbitMQ neither takes nor sends theirs.
	 */
	final String orderEventsExchange = "order-events-system-test";

	final String orderStatsQueue = "user-service.order-stats-system-test";

	final String orderStatsDeadLetterQueue = orderStatsQueue + ".dlq";

	/** The embedded broker's AMQP port when it runs (no {@link #rabbitMq}), else 0. */
	private int embeddedBrokerPort;

	AppProcess zipkin;

	AppProcess configServer;

	AppProcess eureka;

	final List<AppProcess> userServices = new ArrayList<>();

	final List<AppProcess> orderServices = new ArrayList<>();

	AppProcess gateway;

	/** The authorization server (auth-server), or null if apps.conf has none. */
	AppProcess authServer;

	/**
	 * JVM options of the apps: small heap, quick start; these are tests, not benchmarks.
	 */
	static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Dh2.bindAddress=127.0.0.1");

	/** Starts and stops the processes (the launcher that ./run-local.sh runs). */
	private LaunchedSystem launched;

	/**
	 * Between the services and PostgreSQL when {@code system-tests.db-proxy=true}, else
	 * null.
	 */
	TcpProxy databaseProxy;

	/** HTTP/1.1 without an h2c upgrade: Eureka (Tomcat) and the actuators. */
	private final HttpClient plainHttp = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	/**
	 * @return the running system, started on the first call; if that start failed, every
	 * later call fails at once with the same cause instead of starting it again
	 */
	static synchronized LocalSystem get() {
		if (startFailure != null) {
			throw new IllegalStateException("The system failed to start (see the first failing test)", startFailure);
		}
		if (running == null) {
			LocalSystem system = new LocalSystem();
			Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "system-tests-stop"));
			try {
				system.start();
			}
			catch (RuntimeException | AssertionError ex) {
				system.stop();
				startFailure = (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
				throw ex;
			}
			running = system;
		}
		return running;
	}

	private LocalSystem() {
		workDir = Path.of(System.getProperty("system-tests.work-dir", "target/system"))
			.resolve("run-" + System.currentTimeMillis())
			.toAbsolutePath();
		Path logs = workDir.resolve("logs");
		createDirectories(logs);
		apiKey = HexFormat.of().formatHex(randomBytes(24));
		limitedApiKey = HexFormat.of().formatHex(randomBytes(24));
		loadApiKey = HexFormat.of().formatHex(randomBytes(24));
		certificate = workDir.resolve("certs").resolve("gateway.crt");
		eurekaPort = FreePorts.next();
		gatewayPort = FreePorts.next();
		clientSecret = HexFormat.of().formatHex(randomBytes(24));
		userPassword = HexFormat.of().formatHex(randomBytes(24));
		registryCredentials = new RegistryCredentials("registry", HexFormat.of().formatHex(randomBytes(24)),
				"system tests");
		zipkinPort = FreePorts.next();
		configRepository = workDir.resolve("config-repo");
	}

	private void start() {
		Instant started = Instant.now();
		Path appsDir = Path.of(System.getProperty("system-tests.apps-dir", "..")).toAbsolutePath().normalize();
		String version = System.getProperty("system-tests.version", "0.1.0-SNAPSHOT");
		Map<String, String> common = new HashMap<>();
		// Tokens are issued for, and checked against, the gateway's public address.
		common.put("AUTH_ISSUER", "https://localhost:" + gatewayPort);
		common.put("GATEWAY_OAUTH2_ISSUER", "https://localhost:" + gatewayPort);
		common.put("DATA_DIR", workDir.resolve("data").toString());
		common.putAll(databaseEnvironment());
		common.put("CLOUDREF_OUTBOX_EXCHANGE", orderEventsExchange);
		common.put("CLOUDREF_ORDEREVENTS_EXCHANGE", orderEventsExchange);
		common.put("CLOUDREF_ORDEREVENTS_QUEUE", orderStatsQueue);
		common.put("CLOUDREF_ORDEREVENTS_DEADLETTERQUEUE", orderStatsDeadLetterQueue);
		common.putAll(extraEnvironment());
		if (database().equals("postgres") && Boolean.getBoolean("system-tests.db-proxy")) {
			// Fault tests take the database away through this proxy (see
			// DatabaseDownFaultIT).
			databaseProxy = new TcpProxy(FreePorts.next(),
					new InetSocketAddress(common.get("DB_HOST"), Integer.parseInt(common.get("DB_PORT"))))
				.restore();
			common.put("DB_HOST", "127.0.0.1");
			common.put("DB_PORT", String.valueOf(databaseProxy.port()));
		}
		Map<String, String> gatewayEnv = new HashMap<>();
		gatewayEnv.put("GATEWAY_API_KEYS", "system-test:" + ApiKey.sha256Hex(apiKey) + "," + LIMITED_KEY_ID + ":"
				+ ApiKey.sha256Hex(limitedApiKey) + "," + LOAD_KEY_ID + ":" + ApiKey.sha256Hex(loadApiKey));
		// The limited key's own bucket refills once an hour, so a burst over it is
		// refused; the load key's holds a million requests and refills a million a
		// second, and its in-flight cap is above any load the tests offer (the shared
		// limit sheds first). The system-test key has the default bucket; its in-flight
		// cap is above the bursts of the fault tests (e.g. 32 clients, each sending its
		// next request at once).
		gatewayEnv.put("SPRING_APPLICATION_JSON",
				"{\"gateway\":{\"rate-limit\":{\"keys\":{" + "\"system-test\":{\"max-in-flight\":1000},\""
						+ LIMITED_KEY_ID + "\":{\"capacity\":" + LIMITED_KEY_CAPACITY
						+ ",\"refill-tokens\":1,\"refill-period\":\"1h\"},\"" + LOAD_KEY_ID
						+ "\":{\"capacity\":1000000,\"refill-tokens\":1000000,\"refill-period\":\"1s\","
						+ "\"max-in-flight\":100000}}}}}");
		gatewayEnv.put("GATEWAY_TLS_DIR", certificate.getParent().toString());

		// The apps of launcher/apps.conf (what ./run-local.sh starts), on free ports,
		// with Zipkin first so that every span has somewhere to go.
		List<AppSpec> apps = AppCatalog.load(appsDir);
		Map<String, int[]> ports = new HashMap<>();
		SystemPlan.Builder plan = SystemPlan.builder(apps)
			.instances(INSTANCES)
			.registryCredentials(registryCredentials)
			.ports((app, index) -> ports.computeIfAbsent(app.name() + "-" + index, key -> switch (app.role()) {
				case REGISTRY -> new int[] { eurekaPort, eurekaPort };
				case GATEWAY -> new int[] { gatewayPort, FreePorts.next() };
				default -> new int[] { FreePorts.next(), FreePorts.next() };
			}))
			.jars(app -> jar(appsDir, app.name(), version))
			.configRepository(copyOfConfigRepository(appsDir.resolve("config-repo")))
			.environment(common)
			// Registrations, renewals of unknown leases, cancellations and evictions in
			// the registry's log, to explain a failed start.
			.environment("eureka-server",
					Map.of("LOGGING_LEVEL_COM_NETFLIX_EUREKA_REGISTRY_ABSTRACTINSTANCEREGISTRY", "INFO"))
			// A new signing key every 20 s, tokens valid 15 s: OAuth2IT sees keys rotate
			// under traffic.
			.environment("auth-server", Map.of("AUTH_DEMO_USER_PASSWORD_HASH", ClientSecretHash.of(userPassword)))
			.environment("auth-server", Map.of("AUTH_DEMO_CLIENT_SECRET_HASH", ClientSecretHash.of(clientSecret),
					"AUTH_KEY_ROTATION_PERIOD", "20s", "AUTH_KEY_CHECK_INTERVAL", "2s", "AUTH_ACCESS_TOKEN_TTL", "15s"))
			.zipkin(zipkinJar(), zipkinPort);
		AppClients.configure(plan, apps, "auth-server");
		if (!rabbitMq) {
			embeddedBrokerPort = FreePorts.next();
			System.out.println("No RabbitMQ at 127.0.0.1:5672: the apps use the embedded broker at 127.0.0.1:"
					+ embeddedBrokerPort);
			plan.embeddedBroker(jar(appsDir, "embedded-broker", version), embeddedBrokerPort, FreePorts.next());
		}
		apps.stream()
			.filter(app -> app.role() == AppSpec.Role.GATEWAY)
			.forEach(app -> plan.environment(app.name(), gatewayEnv));
		SystemPlan system = plan.build();
		configServerUrl = "http://127.0.0.1:" + system.instances(AppSpec.Role.CONFIG).get(0).port();
		boolean cache = Boolean.getBoolean("system-tests.startup-cache");
		Jdk jdk = cache ? Jdk.select() : Jdk.current();
		System.out.println("Apps run on " + jdk.java() + (cache ? " with a start-up cache" : ""));
		// Beside the jars' module: `mvn clean` removes it, and the H2 and PostgreSQL runs
		// of one build share it.
		launched = new LaunchedSystem(jdk, JVM_OPTIONS,
				cache ? appsDir.resolve("system-tests").resolve("target").resolve("startup-cache") : null,
				workDir.resolve("logs"), false, new LaunchedSystem.Listener() {

					@Override
					public void event(String line) {
						System.out.println("[system] " + line);
					}

					@Override
					public void status(String line) {
					}

				});
		try {
			launched.start(system, certificate, apiKey, STARTUP_TIMEOUT);
		}
		catch (LaunchException ex) {
			assignProcesses(system);
			String diagnosis = ex.getMessage() + "\n" + ex.details() + "\nInstances: " + describeInstances();
			System.err.println(diagnosis);
			throw new AssertionError(diagnosis, ex);
		}
		assignProcesses(system);
		System.out.printf("System routable %d ms after start (db=%s, work dir %s)%n",
				Duration.between(started, Instant.now()).toMillis(), database(), workDir);
	}

	/**
	 * Fills the fields tests use (zipkin, eureka, the service lists, gateway) from what
	 * started.
	 */
	private void assignProcesses(SystemPlan system) {
		zipkin = launched.process("zipkin");
		configServer = launched.process("config-server");
		eureka = launched.process("eureka-server");
		gateway = launched.process(system.gateway().name());
		authServer = system.instances(AppSpec.Role.SERVICE)
			.stream()
			.filter(instance -> instance.app().name().equals("auth-server"))
			.findFirst()
			.map(instance -> launched.process(instance.name()))
			.orElse(null);
		for (Instance instance : system.instances(AppSpec.Role.SERVICE)) {
			AppProcess process = launched.process(instance.name());
			if (process == null) {
				continue;
			}
			if (instance.app().name().equals("user-service")) {
				userServices.add(process);
			}
			else if (instance.app().name().equals("order-service")) {
				orderServices.add(process);
			}
		}
	}

	static String database() {
		return System.getProperty("system-tests.db", "h2");
	}

	/**
	 * @return the URL of a path on Zipkin, e.g. {@code /api/v2/trace/<id>}
	 */
	String zipkinUrl(String path) {
		return "http://127.0.0.1:" + zipkinPort + path;
	}

	/**
	 * @return a client for the gateway's public HTTPS port, with the test API key
	 */
	/**
	 * @return the AMQP port of the apps' broker on 127.0.0.1
	 */
	int brokerPort() {
		return rabbitMq ? 5672 : embeddedBrokerPort;
	}

	GatewayClient gatewayClient() {
		return new GatewayClient(URI.create("https://localhost:" + gateway.appPort()), certificate, apiKey);
	}

	/**
	 * @return a client for the gateway that sends the rate-limited key
	 * {@value #LIMITED_KEY_ID}
	 */
	GatewayClient limitedGatewayClient() {
		return new GatewayClient(URI.create("https://localhost:" + gateway.appPort()), certificate, limitedApiKey);
	}

	/**
	 * @return a client for the gateway that sends the load key {@value #LOAD_KEY_ID},
	 * whose bucket never runs dry
	 */
	GatewayClient loadGatewayClient() {
		return new GatewayClient(URI.create("https://localhost:" + gateway.appPort()), certificate, loadApiKey);
	}

	List<AppProcess> allApps() {
		List<AppProcess> apps = new ArrayList<>(userServices);
		apps.addAll(orderServices);
		apps.add(gateway);
		return apps;
	}

	/**
	 * Counts the requests an instance has served for one route, from its Prometheus
	 * metric {@code http_server_requests_seconds_count}.
	 * @param app the instance
	 * @param uriTemplate the route as Spring reports it, e.g. {@code /users/{id}}
	 * @return the number of requests, summed over methods, statuses and outcomes
	 */
	long servedRequests(AppProcess app, String uriTemplate) {
		String metrics = get("http://127.0.0.1:" + app.managementPort() + "/actuator/prometheus", "text/plain").body();
		Pattern series = Pattern.compile("^http_server_requests_seconds_count\\{(.*)\\} ([0-9.eE+]+)$",
				Pattern.MULTILINE);
		Matcher matcher = series.matcher(metrics);
		double total = 0;
		while (matcher.find()) {
			if (matcher.group(1).contains("uri=\"" + uriTemplate + "\"")) {
				total += Double.parseDouble(matcher.group(2));
			}
		}
		return (long) total;
	}

	/**
	 * Stops instances (SIGTERM, then SIGKILL after 20 s) and waits until the registry has
	 * dropped them.
	 */
	void stopInstances(List<AppProcess> instances, String registryName) {
		instances.parallelStream().forEach(app -> app.stop(Duration.ofSeconds(20)));
		awaitRegistered(registryName, 0);
	}

	/**
	 * Starts stopped (or killed) service instances again with the same ports and waits
	 * until they are ready, registered and routable.
	 * @param instances instances of user-service and/or order-service
	 */
	void restart(List<AppProcess> instances) {
		List<AppProcess> restarted = instances.stream().map(AppProcess::restart).toList();
		restarted.forEach(launched::replace);
		for (List<AppProcess> service : List.of(userServices, orderServices)) {
			service
				.replaceAll(app -> restarted.stream().filter(r -> r.name().equals(app.name())).findFirst().orElse(app));
		}
		restarted.forEach(this::awaitReady);
		awaitRegistered("USER-SERVICE", userServices.size());
		awaitRegistered("ORDER-SERVICE", orderServices.size());
		awaitRoutable();
	}

	/**
	 * @param app a running service instance
	 * @return its registry application name, {@code USER-SERVICE} or
	 * {@code ORDER-SERVICE}
	 */
	String registryName(AppProcess app) {
		return userServices.contains(app) ? "USER-SERVICE" : "ORDER-SERVICE";
	}

	/** Starts Eureka again on its port (after a crash) and waits until it answers. */
	void restartEureka() {
		eureka = eureka.restart();
		launched.replace(eureka);
		awaitReady(eureka);
	}

	/**
	 * Waits until the registry lists exactly this many UP instances of an application.
	 * @param application e.g. {@code USER-SERVICE}
	 * @param upInstances the number expected
	 */
	void awaitRegistered(String application, int upInstances) {
		awaitRegisteredWithin(application, upInstances, STARTUP_TIMEOUT);
	}

	/**
	 * @param app an app of this system
	 * @return its readiness as its actuator reports it: the HTTP status of
	 * {@code /actuator/health/readiness}, or -1 when it does not answer
	 */
	int readinessStatus(AppProcess app) {
		HttpResponse<String> response = tryGet(
				"http://127.0.0.1:" + app.managementPort() + "/actuator/health/readiness");
		return (response != null) ? response.statusCode() : -1;
	}

	/**
	 * @param app an app of this system
	 * @return its Prometheus scrape ({@code /actuator/prometheus})
	 */
	String prometheus(AppProcess app) {
		return get("http://127.0.0.1:" + app.managementPort() + "/actuator/prometheus", "text/plain").body();
	}

	/**
	 * Starts one instance of a service that is not part of this system's build (e.g. one
	 * generated from service-archetype) beside it: configured by this system's config
	 * server (put its file in {@link #configRepository} first), registered with this
	 * system's Eureka, on its own embedded H2 database under the work directory, with
	 * free ports. The caller stops it.
	 * @param name the instance's name in logs, e.g. {@code inventory-service-1}
	 * @param jar its executable jar
	 * @return the started process, ready (its readiness probe answers 200), perhaps not
	 * yet registered (see {@link #awaitRegistered})
	 */
	AppProcess startBeside(String name, Path jar) {
		return startBeside(name, jar, Map.of());
	}

	/**
	 * As {@link #startBeside(String, Path)}, with more environment.
	 * @param name the instance's name in logs, e.g. {@code inventory-service-1}
	 * @param jar its executable jar
	 * @param environment e.g. {@code OAUTH2_CLIENT_SECRET} from {@link #addClient}
	 * @return the started process, ready
	 */
	AppProcess startBeside(String name, Path jar, Map<String, String> environment) {
		int appPort = FreePorts.next();
		int managementPort = FreePorts.next();
		Map<String, String> env = new HashMap<>(environment);
		env.put("EUREKA_URL", registryCredentials.serviceUrl("127.0.0.1", eurekaPort));
		env.put("CONFIG_SERVER_URL", configServerUrl);
		env.put("DATA_DIR", workDir.resolve("data").toString());
		// Tokens name the gateway's address as their issuer.
		env.put("AUTH_ISSUER", "https://localhost:" + gatewayPort);
		env.put("SERVER_PORT", String.valueOf(appPort));
		env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
		AppSpec app = new AppSpec(name.replaceFirst("-\\d+$", ""), AppSpec.Role.SERVICE, appPort, managementPort, 1,
				null, null);
		AppProcess process = launched
			.launch(new Instance(app, name, appPort, managementPort, Instance.READINESS, jar, false, env, List.of()));
		awaitReady(process);
		return process;
	}

	/**
	 * Gives the running authorization server one more OAuth client, as a new service's
	 * entry in auth-server's {@code application.yml} would (tools/new-service.sh): the
	 * {@code client_credentials} grant, tokens as short-lived as the other clients' here.
	 * auth-server is restarted with it (its keys stay: they are files) and is routable
	 * again when this returns.
	 * @param clientId e.g. {@code inventory-service}
	 * @param scopes comma-separated, e.g. {@code users:read}
	 * @return the client's secret (auth-server has its hash only)
	 */
	String addClient(String clientId, String scopes) {
		String secret = HexFormat.of().formatHex(randomBytes(24));
		String prefix = "spring.security.oauth2.authorizationserver.client." + clientId;
		String json = "{\"" + prefix + ".registration.client-id\":\"" + clientId + "\",\"" + prefix
				+ ".registration.client-secret\":\"" + ClientSecretHash.of(secret) + "\",\"" + prefix
				+ ".registration.client-authentication-methods\":\"client_secret_basic\",\"" + prefix
				+ ".registration.authorization-grant-types\":\"client_credentials\",\"" + prefix
				+ ".registration.scopes\":\"" + scopes + "\",\"" + prefix
				+ ".token.access-token-time-to-live\":\"15s\"}";
		authServer.stop(Duration.ofSeconds(20));
		authServer = authServer.restart(Map.of("SPRING_APPLICATION_JSON", json));
		launched.replace(authServer);
		awaitReady(authServer);
		awaitRegistered("AUTH-SERVER", 1);
		return secret;
	}

	private static boolean acceptsConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Path copyOfConfigRepository(Path original) {
		try {
			Files.createDirectories(configRepository);
			try (Stream<Path> files = Files.list(original)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.copy(file, configRepository.resolve(file.getFileName()));
				}
			}
			return configRepository;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot copy " + original + " to " + configRepository, ex);
		}
	}

	/**
	 * @return {@code system-tests.extra-env} ({@code NAME=value,NAME=value}): environment
	 * for the gateway and the services on top of the defaults, e.g. to measure the system
	 * with a mechanism switched off
	 */
	private static Map<String, String> extraEnvironment() {
		Map<String, String> environment = new HashMap<>();
		for (String pair : System.getProperty("system-tests.extra-env", "").split(",")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				environment.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
			}
		}
		return environment;
	}

	private static Map<String, String> databaseEnvironment() {
		if (!database().equals("postgres")) {
			return Map.of();
		}
		return Map.of("SPRING_PROFILES_ACTIVE", "local,postgres", //
				"DB_HOST", System.getProperty("system-tests.db.host", "127.0.0.1"), //
				"DB_PORT", System.getProperty("system-tests.db.port", "5432"), //
				"DB_USER", System.getProperty("system-tests.db.user", "postgres"), //
				"DB_PASSWORD", System.getProperty("system-tests.db.password", ""));
	}

	private void awaitReady(AppProcess app) {
		String readiness = "http://127.0.0.1:" + app.managementPort() + "/actuator/health/readiness";
		await(app.name() + " ready", () -> {
			assertAlive(app);
			HttpResponse<String> response = tryGet(readiness);
			return response != null && response.statusCode() == 200 && response.body().contains("UP");
		});
	}

	private void awaitRegisteredWithin(String application, int upInstances, Duration timeout) {
		try {
			await(upInstances + " UP instance(s) of " + application + " in the registry", timeout,
					() -> registeredInstances(application).values()
						.stream()
						.filter("UP"::equals)
						.count() == upInstances);
		}
		catch (ConditionTimeoutException ex) {
			String diagnosis = ex.getMessage() + "\nRegistry: " + registeredInstances(application) + "\nInstances: "
					+ describeInstances();
			System.err.println(diagnosis);
			throw new AssertionError(diagnosis, ex);
		}
	}

	/**
	 * @return instance id → status of an application in the registry; empty when it has
	 * none or the registry does not answer
	 */
	private Map<String, String> registeredInstances(String application) {
		HttpResponse<String> response = tryGet("http://127.0.0.1:" + eurekaPort + "/eureka/apps/" + application,
				"application/json", Map.of("Authorization", registryCredentials.authorization()));
		Map<String, String> instances = new TreeMap<>();
		if (response != null && response.statusCode() == 200) {
			for (JsonNode instance : JSON.readTree(response.body()).path("application").path("instance")) {
				instances.put(instance.path("instanceId").asString(), instance.path("status").asString());
			}
		}
		return instances;
	}

	/**
	 * Writes the app's thread dump ({@code jcmd <pid> Thread.print}) beside its log.
	 * @throws UncheckedIOException if jcmd cannot be started (a JRE without it)
	 */
	private static Path dumpThreads(AppProcess app) {
		Path dump = app.log().resolveSibling(app.name() + ".threads.txt");
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(app.process().pid()), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(dump.toFile())
				.start();
			jcmd.waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return dump;
	}

	/**
	 * @return the top frames of the Eureka client's threads (registration, heartbeat,
	 * registry fetch) that are busy in a thread dump, rather than idle in their pools
	 */
	private static List<String> registryClientThreads(Path dump) {
		List<String> frames = new ArrayList<>();
		try {
			for (String thread : Files.readString(dump).split("\\R\\s*\\R")) {
				String header = thread.strip().lines().findFirst().orElse("");
				boolean registryClient = header.contains("DiscoveryClient") || header.contains("InfoReplicator");
				boolean busy = thread.contains("com.netflix.discovery.DiscoveryClient.")
						|| thread.contains("EurekaHealthCheckHandler") || thread.contains("Mono.block");
				if (registryClient && busy) {
					thread.strip().lines().limit(16).map(String::strip).forEach(frames::add);
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			frames.add("(thread dump unreadable: " + ex + ")");
		}
		return frames;
	}

	/**
	 * For a failure message: each service instance's ports, whether its process lives and
	 * what its readiness probe answers, and the last warnings and errors of its log.
	 */
	private String describeInstances() {
		StringBuilder description = new StringBuilder();
		for (AppProcess app : allApps()) {
			if (app == null) {
				// Not started: the start failed before it (the exception says why).
				continue;
			}
			description.append("\n  ")
				.append(app.name())
				.append(" port ")
				.append(app.appPort())
				.append(" management ")
				.append(app.managementPort())
				.append(app.isAlive() ? " alive" : " dead")
				.append(", readiness ")
				.append(readinessStatus(app));
			if (app.isAlive()) {
				try {
					Path dump = dumpThreads(app);
					description.append(", threads in ").append(dump);
					registryClientThreads(dump).forEach(line -> description.append("\n    ").append(line));
				}
				catch (UncheckedIOException ex) {
					description.append(", no thread dump (").append(ex.getCause()).append(')');
				}
			}
			try {
				List<String> problems = Files.readAllLines(app.log())
					.stream()
					.filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
					.toList();
				problems.subList(Math.max(0, problems.size() - 5), problems.size())
					.forEach(line -> description.append("\n    ").append(line));
			}
			catch (IOException | UncheckedIOException ex) {
				description.append("\n    (log unreadable: ").append(ex).append(')');
			}
		}
		return description.toString();
	}

	/**
	 * Routable = several GETs in a row through the gateway to each service answer 200.
	 */
	private void awaitRoutable() {
		GatewayClient client = gatewayClient();
		int[] streak = { 0 };
		await("routes through the gateway", () -> {
			allApps().forEach(LocalSystem::assertAlive);
			boolean ok = client.tryStatus("/api/users?page=0&size=1") == 200
					&& client.tryStatus("/api/orders?userId=00000000-0000-0000-0000-000000000000") == 200;
			streak[0] = ok ? streak[0] + 1 : 0;
			return streak[0] >= 2 * INSTANCES;
		});
	}

	private static void assertAlive(AppProcess app) {
		if (!app.isAlive()) {
			fail(app.name() + " exited with " + app.process().exitValue() + "; log tail:\n" + app.logTail(40));
		}
	}

	private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
		await(what, STARTUP_TIMEOUT, condition);
	}

	private static void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
		Awaitility.await(what)
			.atMost(timeout)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(250))
			.until(condition);
	}

	HttpResponse<String> get(String url, String accept) {
		HttpResponse<String> response = tryGet(url, accept);
		if (response == null || response.statusCode() != 200) {
			fail("GET " + url + " failed: " + (response == null ? "no response" : response.statusCode()));
		}
		return response;
	}

	/**
	 * @param path a path of the registry's REST API, e.g. {@code /eureka/apps}
	 * @return its JSON answer, asked with the registry's credentials
	 * @throws AssertionError unless it answers 200
	 */
	String registryGet(String path) {
		String url = "http://127.0.0.1:" + eurekaPort + path;
		HttpResponse<String> response = tryGet(url, "application/json",
				Map.of("Authorization", registryCredentials.authorization()));
		if (response == null || response.statusCode() != 200) {
			fail("GET " + url + " failed: " + (response == null ? "no response" : response.statusCode()));
		}
		return response.body();
	}

	/**
	 * Calls an instance's own port, past the gateway, as any process on the host could.
	 * @param app a service instance
	 * @param path e.g. {@code /users?page=0&size=1}
	 * @param headers request headers, e.g. {@code Authorization}
	 * @return its answer; fails the test when there is none
	 */
	HttpResponse<String> directGet(AppProcess app, String path, Map<String, String> headers) {
		String url = "http://127.0.0.1:" + app.appPort() + path;
		HttpResponse<String> response = tryGet(url, "application/json", headers);
		if (response == null) {
			fail("GET " + url + " got no response");
		}
		return response;
	}

	private HttpResponse<String> tryGet(String url) {
		return tryGet(url, "application/json");
	}

	private HttpResponse<String> tryGet(String url, String accept) {
		return tryGet(url, accept, Map.of());
	}

	private HttpResponse<String> tryGet(String url, String accept, Map<String, String> headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.header("Accept", accept)
			.timeout(Duration.ofSeconds(5));
		headers.forEach(builder::header);
		HttpRequest request = builder.build();
		try {
			return plainHttp.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Stops whatever was started in the launcher's order: gateway first, then the
	 * services, then the registry and Zipkin (the apps report their last spans as they
	 * stop), within 25 s, well inside the 30 s Failsafe gives a finished fork.
	 */
	private synchronized void stop() {
		if (launched != null) {
			launched.stop(Duration.ofSeconds(25));
		}
		if (databaseProxy != null) {
			databaseProxy.close();
		}
	}

	private static Path jar(Path appsDir, String module, String version) {
		Path jar = appsDir.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
		if (!Files.isRegularFile(jar)) {
			fail("Missing " + jar + ": build the apps first (./mvnw verify from the repository root)");
		}
		return jar;
	}

	private static Path zipkinJar() {
		String property = System.getProperty("system-tests.zipkin-jar");
		if (property == null || property.isBlank()) {
			fail("System property system-tests.zipkin-jar is not set: run the system tests through Maven "
					+ "(./mvnw -pl system-tests verify), which copies the Zipkin server jar and sets it");
		}
		Path jar = Path.of(property).toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			fail("Missing Zipkin server jar " + jar + " (system-tests.zipkin-jar): run ./mvnw -pl system-tests verify, "
					+ "whose pre-integration-test phase copies io.zipkin:zipkin-server:<zipkin.version>:exec there");
		}
		return jar;
	}

	private static void createDirectories(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

}
