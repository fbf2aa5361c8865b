package dev.cloudref.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the Docker packaging: {@code docker-compose.yml}, the shared
 * {@code Dockerfile} and what git would commit. Needs no Docker engine.
 */
class ComposeFileTest {

	private static final String EUREKA_1 = "eureka-1";

	private static final String EUREKA_2 = "eureka-2";

	private static final String GATEWAY = "api-gateway";

	private static final String CONFIG_SERVER = "config-server";

	private static final String AUTH_SERVER = "auth-server";

	private static final String POSTGRES = "postgres";

	private static final String ZIPKIN = "zipkin";

	private static final String PROMETHEUS = "prometheus";

	private static final String GRAFANA = "grafana";

	private static final String REDIS = "redis";

	private static final String RABBITMQ = "rabbitmq";

	private static final List<String> USER_SERVICES = List.of("user-service-1", "user-service-2");

	private static final List<String> ORDER_SERVICES = List.of("order-service-1", "order-service-2");

	/** Compose service name -> Maven module it is built from. */
	private static final Map<String, String> APP_MODULES = Map.of(CONFIG_SERVER, "config-server", AUTH_SERVER,
			"auth-server", EUREKA_1, "eureka-server", EUREKA_2, "eureka-server", "user-service-1", "user-service",
			"user-service-2", "user-service", "order-service-1", "order-service", "order-service-2", "order-service",
			GATEWAY, "api-gateway");

	/**
	 * Where each app answers /actuator/health/* (eureka has no separate management port).
	 */
	private static final Map<String, Integer> MANAGEMENT_PORTS = Map.of(CONFIG_SERVER, 8888, AUTH_SERVER, 8081,
			EUREKA_1, 8761, EUREKA_2, 8761, "user-service-1", 8081, "user-service-2", 8081, "order-service-1", 8081,
			"order-service-2", 8081, GATEWAY, 8081);

	private static final Set<String> PEER_URLS = Set.of("http://eureka-1:8761/eureka/", "http://eureka-2:8761/eureka/");

	/** Observability UI -> {host port, container port}; published on 127.0.0.1 only. */
	private static final Map<String, List<Integer>> LOOPBACK_UIS = Map.of(ZIPKIN, List.of(9411, 9411), PROMETHEUS,
			List.of(9490, 9090), GRAFANA, List.of(3000, 3000));

	private static final long MIB = 1024L * 1024L;

	/** Memory limit of each container that is not one of the apps (384 MiB each). */
	private static final Map<String, Long> OTHER_MEMORY_LIMITS = Map.of(POSTGRES, 256 * MIB, REDIS, 64 * MIB, RABBITMQ,
			256 * MIB, ZIPKIN, 384 * MIB, PROMETHEUS, 256 * MIB, GRAFANA, 256 * MIB);

	private static Path repoRoot;

	private static Map<String, Object> compose;

	private static Map<String, Map<String, Object>> services;

	@BeforeAll
	static void loadComposeFile() throws IOException {
		repoRoot = findRepoRoot();
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		Yaml yaml = new Yaml(new SafeConstructor(options));
		try (Reader reader = Files.newBufferedReader(repoRoot.resolve("docker-compose.yml"))) {
			compose = asMap(yaml.load(reader), "docker-compose.yml");
		}
		services = new LinkedHashMap<>();
		asMap(compose.get("services"), "services")
			.forEach((name, definition) -> services.put(name, asMap(definition, "services." + name)));
	}

	// ---- topology ---------------------------------------------------------------------

	@Test
	void definesTheConfigServerTwoEurekaPeersTwoInstancesOfEachServiceOneGatewayOnePostgresAndTheObservabilityStack() {
		assertThat(services.keySet()).containsExactlyInAnyOrder(CONFIG_SERVER, EUREKA_1, EUREKA_2, AUTH_SERVER,
				"user-service-1", "user-service-2", "order-service-1", "order-service-2", GATEWAY, POSTGRES, REDIS,
				RABBITMQ, ZIPKIN, PROMETHEUS, GRAFANA);
	}

	@Test
	void configChangesTravelOverTheRabbitMqOfThisFileWhichNoAppWaitsFor() {
		for (String name : concat(List.of(CONFIG_SERVER), USER_SERVICES, ORDER_SERVICES, List.of(GATEWAY))) {
			assertThat(environment(name)).as(name).containsEntry("RABBITMQ_HOST", RABBITMQ);
			assertThat(environment(name).get("RABBITMQ_PASSWORD")).as(name)
				.isEqualTo(environment(RABBITMQ).get("RABBITMQ_DEFAULT_PASS"));
			assertThat(dependencies(name)).as("%s depends_on", name).doesNotContain(RABBITMQ);
		}
		assertThat(healthCheckCommand(RABBITMQ)).contains("rabbitmq-diagnostics");
		assertThat(services.get(RABBITMQ).get("ports")).as("rabbitmq publishes no port").isNull();
	}

	@Test
	void servicesAndTheGatewayFetchTheirConfigurationFromTheConfigServerServingTheRepositorysDirectory() {
		for (String name : concat(USER_SERVICES, ORDER_SERVICES, List.of(GATEWAY))) {
			assertThat(environment(name)).as(name).containsEntry("CONFIG_SERVER_URL", "http://config-server:8888");
			assertThat(dependencies(name)).as("%s depends_on", name).contains(CONFIG_SERVER);
		}
		assertThat(commaSeparated(environment(CONFIG_SERVER).get("SPRING_PROFILES_ACTIVE"))).contains("native",
				"docker");
		assertThat(environment(CONFIG_SERVER)).containsEntry("CONFIG_REPO", "file:/config-repo/");
		assertThat(services.get(CONFIG_SERVER).get("volumes")).asList()
			.containsExactly("./config-repo:/config-repo:ro");
		assertThat(repoRoot.resolve("config-repo/application.yml")).isRegularFile();
		assertThat(dependencies(CONFIG_SERVER)).as("the config server waits for nothing").isEmpty();
	}

	@Test
	void gatewaySharesItsRateLimitBucketsThroughTheRedisOfThisFile() {
		Map<String, Object> env = asMap(services.get(GATEWAY).get("environment"), "api-gateway.environment");
		assertThat(env.get("GATEWAY_RATE_LIMIT_REDIS_URI")).isEqualTo("redis://redis:6379");
		assertThat(services.get(REDIS).get("ports")).as("redis publishes no port").isNull();
	}

	@Test
	void onlyTheGatewayPublishesAPortOnAllInterfacesAndItIsHttps8443() {
		List<PublishedPort> gatewayPorts = publishedPorts(services.get(GATEWAY));
		assertThat(gatewayPorts).as("api-gateway published ports").hasSize(1);
		PublishedPort https = gatewayPorts.get(0);
		assertThat(List.of(https.hostPort(), https.containerPort()))
			.as("api-gateway publishes host 8443 -> container 8443")
			.containsExactly(8443, 8443);
		assertThat(https.hostIp()).as("api-gateway is published on all interfaces").isNull();

		services.forEach((name, service) -> {
			if (name.equals(GATEWAY) || LOOPBACK_UIS.containsKey(name)) {
				return;
			}
			assertThat(service).as("%s must not publish ports", name).doesNotContainKey("ports");
		});
	}

	@Test
	void theObservabilityUisArePublishedOnTheLoopbackInterfaceOnly() {
		LOOPBACK_UIS.forEach((name, ports) -> {
			List<PublishedPort> published = publishedPorts(services.get(name));
			assertThat(published).as("%s published ports", name).hasSize(1);
			PublishedPort port = published.get(0);
			assertThat(port.hostIp()).as("%s host address", name).isEqualTo("127.0.0.1");
			assertThat(List.of(port.hostPort(), port.containerPort())).as("%s host -> container port", name)
				.isEqualTo(ports);
		});
		List<Integer> hostPorts = services.values()
			.stream()
			.flatMap(service -> publishedPorts(service).stream())
			.map(PublishedPort::hostPort)
			.toList();
		assertThat(hostPorts).as("host ports").doesNotHaveDuplicates();
	}

	@Test
	void noServiceSharesTheHostNetworkOrRunsPrivileged() {
		services.forEach((name, service) -> {
			assertThat(service.get("network_mode")).as("%s network_mode", name).isNotEqualTo("host");
			assertThat(service.get("privileged")).as("%s privileged", name).isNotEqualTo(Boolean.TRUE);
		});
	}

	// ---- health and start order -------------------------------------------------------

	@Test
	void everyServiceHasAnEnabledHealthCheck() {
		services.forEach((name, service) -> {
			Map<String, Object> healthcheck = asMap(service.get("healthcheck"), name + ".healthcheck");
			assertThat(healthcheck.get("disable")).as("%s healthcheck disabled", name).isNotEqualTo(Boolean.TRUE);
			assertThat(healthCheckCommand(name)).as("%s healthcheck test", name).isNotBlank().doesNotStartWith("NONE");
		});
	}

	@Test
	void appHealthChecksProbeReadinessOnTheManagementPort() {
		MANAGEMENT_PORTS.forEach((name, port) -> assertThat(healthCheckCommand(name)).as("%s healthcheck", name)
			.contains(":" + port + "/actuator/health/readiness"));
	}

	@Test
	void postgresIsHealthyOnlyWhenItAcceptsTcpConnections() {
		// During first-start initialisation the server listens on its Unix socket only.
		assertThat(healthCheckCommand(POSTGRES)).contains("pg_isready").contains("-h 127.0.0.1");
	}

	@Test
	void everyDependencyWaitsForAHealthyServiceThatExists() {
		services.forEach((name, service) -> {
			if (!service.containsKey("depends_on")) {
				return;
			}
			Object dependsOn = service.get("depends_on");
			assertThat(dependsOn).as("%s depends_on must be the long form with a condition", name)
				.isInstanceOf(Map.class);
			asMap(dependsOn, name + ".depends_on").forEach((dependency, spec) -> {
				assertThat(services).as("%s depends on a defined service", name).containsKey(dependency);
				assertThat(dependency).as("%s depends on itself", name).isNotEqualTo(name);
				assertThat(asMap(spec, name + ".depends_on." + dependency).get("condition"))
					.as("%s -> %s condition", name, dependency)
					.isEqualTo("service_healthy");
			});
		});
	}

	@Test
	void servicesStartAfterPostgresAndBothEurekaPeersAndTheGatewayAfterBothPeers() {
		for (String name : concat(USER_SERVICES, ORDER_SERVICES)) {
			assertThat(dependencies(name)).as("%s depends_on", name)
				.containsExactlyInAnyOrder(CONFIG_SERVER, POSTGRES, EUREKA_1, EUREKA_2);
		}
		assertThat(dependencies(GATEWAY)).as("api-gateway depends_on").contains(EUREKA_1, EUREKA_2);
		assertThat(dependencies(EUREKA_1)).as("eureka peers must not wait for each other").isEmpty();
		assertThat(dependencies(EUREKA_2)).as("eureka peers must not wait for each other").isEmpty();
	}

	@Test
	void everyServiceRestartsUnlessStopped() {
		services.forEach((name, service) -> assertThat(service.get("restart")).as("%s restart policy", name)
			.isEqualTo("unless-stopped"));
	}

	@Test
	void appsGetEnoughTimeToDeregisterAndDrainOnStop() {
		for (String name : APP_MODULES.keySet()) {
			Object grace = services.get(name).get("stop_grace_period");
			assertThat(grace).as("%s stop_grace_period", name).isNotNull();
			Matcher m = Pattern.compile("(\\d+)s").matcher(String.valueOf(grace));
			assertThat(m.matches()).as("%s stop_grace_period '%s' in whole seconds", name, grace).isTrue();
			assertThat(Integer.parseInt(m.group(1))).as("%s stop_grace_period seconds", name)
				.isGreaterThanOrEqualTo(15);
		}
	}

	// ---- resources
	// ----------------------------------------------------------------------

	@Test
	void everyServiceHasAMemoryLimit() {
		services.forEach((name, service) -> {
			long limit = memoryLimitBytes(name, service);
			long expected = OTHER_MEMORY_LIMITS.getOrDefault(name, 384 * MIB);
			assertThat(limit).as("%s memory limit", name).isEqualTo(expected);
		});
	}

	@Test
	void jvmHeapIsSizedFromTheContainerMemoryLimit() {
		for (String name : APP_MODULES.keySet()) {
			assertThat(environment(name).get("JAVA_TOOL_OPTIONS")).as("%s JAVA_TOOL_OPTIONS", name)
				.contains("-XX:MaxRAMPercentage=", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=",
						"-XX:MaxDirectMemorySize=")
				.doesNotContain("-Xmx");
		}
	}

	// ---- configuration
	// --------------------------------------------------------------------

	@Test
	void servicesRunDockerAndPostgresProfilesAgainstTheirOwnDatabase() {
		for (String name : USER_SERVICES) {
			Map<String, String> env = environment(name);
			assertThat(env).as(name)
				.containsEntry("SPRING_PROFILES_ACTIVE", "docker,postgres")
				.containsEntry("DB_HOST", POSTGRES)
				.containsEntry("DB_PORT", "5432")
				.containsEntry("DB_NAME", "users");
		}
		for (String name : ORDER_SERVICES) {
			Map<String, String> env = environment(name);
			assertThat(env).as(name)
				.containsEntry("SPRING_PROFILES_ACTIVE", "docker,postgres")
				.containsEntry("DB_HOST", POSTGRES)
				.containsEntry("DB_PORT", "5432")
				.containsEntry("DB_NAME", "orders");
		}
		for (String name : List.of(EUREKA_1, EUREKA_2, GATEWAY)) {
			assertThat(environment(name)).as(name).containsEntry("SPRING_PROFILES_ACTIVE", "docker");
		}
	}

	@Test
	void serviceDatabaseCredentialsMatchTheRolesPostgresCreatesOnFirstStart() {
		Map<String, String> postgres = environment(POSTGRES);
		for (String name : USER_SERVICES) {
			Map<String, String> env = environment(name);
			assertThat(env.get("DB_NAME")).isEqualTo(postgres.get("USERS_DB_NAME"));
			assertThat(env.get("DB_USER")).isNotBlank().isEqualTo(postgres.get("USERS_DB_USER"));
			assertThat(env.get("DB_PASSWORD")).isNotBlank().isEqualTo(postgres.get("USERS_DB_PASSWORD"));
		}
		for (String name : ORDER_SERVICES) {
			Map<String, String> env = environment(name);
			assertThat(env.get("DB_NAME")).isEqualTo(postgres.get("ORDERS_DB_NAME"));
			assertThat(env.get("DB_USER")).isNotBlank().isEqualTo(postgres.get("ORDERS_DB_USER"));
			assertThat(env.get("DB_PASSWORD")).isNotBlank().isEqualTo(postgres.get("ORDERS_DB_PASSWORD"));
		}
		assertThat(environment(USER_SERVICES.get(0)).get("DB_USER")).as("each service has its own database role")
			.isNotEqualTo(environment(ORDER_SERVICES.get(0)).get("DB_USER"));
	}

	@Test
	void postgresRunsTheDatabaseInitScriptFromTheRepository() {
		List<String> mounts = stringList(services.get(POSTGRES).get("volumes"), "postgres.volumes");
		String initMount = mounts.stream()
			.filter(mount -> mount.contains("/docker-entrypoint-initdb.d/"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("postgres mounts no script into /docker-entrypoint-initdb.d"));
		Path script = repoRoot.resolve(initMount.substring(0, initMount.indexOf(':'))).normalize();
		assertThat(script).as("init script").isRegularFile().startsWith(repoRoot);
		assertThat(mounts).as("postgres data on a named volume")
			.anyMatch(mount -> mount.matches("[A-Za-z0-9][\\w.-]*:/var/lib/postgresql/data(:.*)?"));
	}

	@Test
	void theTwoEurekaPeersReplicateToEachOther() {
		assertPeer(EUREKA_1, EUREKA_2);
		assertPeer(EUREKA_2, EUREKA_1);
	}

	@Test
	void everyEurekaClientListsBothPeers() {
		for (String name : concat(USER_SERVICES, ORDER_SERVICES, List.of(GATEWAY, AUTH_SERVER))) {
			assertThat(commaSeparated(environment(name).get("EUREKA_URL")).stream()
				.map(url -> withoutRegistryCredentials(name, url))
				.toList()).as("%s EUREKA_URL", name).containsExactlyInAnyOrderElementsOf(PEER_URLS);
		}
	}

	@Test
	void theAuthorizationServerIssuesTokensForTheGatewaysAddressAndKeepsItsKeysOnAVolume() throws IOException {
		Map<String, String> auth = environment(AUTH_SERVER);
		assertThat(auth.get("AUTH_ISSUER")).as("the tokens' issuer")
			.isEqualTo(environment(GATEWAY).get("GATEWAY_OAUTH2_ISSUER"));
		assertThat(auth.get("AUTH_ISSUER")).startsWith("${CLOUDREF_PUBLIC_URL:-https://localhost:8443}");
		assertThat(auth.get("AUTH_DEMO_CLIENT_SECRET_HASH")).as("the client's secret hash, required")
			.startsWith("${AUTH_DEMO_CLIENT_SECRET_HASH:?");
		assertThat(auth.get("AUTH_DEMO_USER_PASSWORD_HASH")).as("the demo user's password hash, required")
			.startsWith("${AUTH_DEMO_USER_PASSWORD_HASH:?");
		assertThat(stringList(services.get(AUTH_SERVER).get("volumes"), "auth-server.volumes"))
			.containsExactly("auth-keys:" + auth.get("AUTH_KEYS_DIR"));
		assertThat(services.get(AUTH_SERVER)).doesNotContainKey("ports");
		// The image's unprivileged user owns the directory, so the fresh volume is
		// writable.
		assertThat(Files.readAllLines(repoRoot.resolve("Dockerfile")))
			.anyMatch(line -> line.contains("chown app:app") && line.contains(auth.get("AUTH_KEYS_DIR")));
	}

	@Test
	void everyAppThatCallsAServiceHasItsOwnClientAndTheServicesCheckTheIssuer() {
		Map<String, String> auth = environment(AUTH_SERVER);
		Map<String, List<String>> clients = Map.of("API_GATEWAY", List.of(GATEWAY), "USER_SERVICE", USER_SERVICES,
				"ORDER_SERVICE", ORDER_SERVICES);
		clients.forEach((client, apps) -> {
			// auth-server gets the hash only; the app its secret; both required.
			assertThat(auth.get("AUTH_" + client + "_CLIENT_SECRET_HASH")).as("auth-server's hash of %s", client)
				.startsWith("${AUTH_" + client + "_CLIENT_SECRET_HASH:?");
			for (String app : apps) {
				assertThat(environment(app).get("OAUTH2_CLIENT_SECRET")).as("%s OAUTH2_CLIENT_SECRET", app)
					.startsWith("${" + client + "_CLIENT_SECRET:?");
			}
		});
		for (String service : concat(USER_SERVICES, ORDER_SERVICES)) {
			assertThat(environment(service).get("AUTH_ISSUER")).as("%s AUTH_ISSUER", service)
				.isEqualTo(auth.get("AUTH_ISSUER"));
		}
	}

	@Test
	void gatewayTakesApiKeysFromTheEnvironmentAndKeepsItsCertificateOnAVolume() {
		Map<String, String> env = environment(GATEWAY);
		assertThat(env.get("GATEWAY_API_KEYS")).as("GATEWAY_API_KEYS must be required, with no baked-in key")
			.startsWith("${GATEWAY_API_KEYS:?");

		String tlsDir = env.get("GATEWAY_TLS_DIR");
		assertThat(tlsDir).as("GATEWAY_TLS_DIR").isNotBlank();
		assertThat(stringList(services.get(GATEWAY).get("volumes"), "api-gateway.volumes"))
			.as("gateway certificate directory on a named volume")
			.anyMatch(mount -> mount.matches("[A-Za-z0-9][\\w.-]*:" + Pattern.quote(tlsDir) + "(:.*)?"));
	}

	// ---- observability
	// ------------------------------------------------------------------------

	@Test
	void zipkinPrometheusAndGrafanaRunFromPublicImagesWithHealthChecksAndMemoryLimits() {
		assertThat(services.get(ZIPKIN).get("image")).as("zipkin image").isEqualTo("openzipkin/zipkin:3");
		assertThat(String.valueOf(services.get(PROMETHEUS).get("image"))).as("prometheus image")
			.matches("(docker\\.io/)?prom/prometheus:v?[0-9][\\w.-]*");
		assertThat(String.valueOf(services.get(GRAFANA).get("image"))).as("grafana image")
			.matches("(docker\\.io/)?grafana/grafana:[0-9][\\w.-]*");
		for (String name : LOOPBACK_UIS.keySet()) {
			assertThat(services.get(name)).as(name).doesNotContainKey("build");
			assertThat(healthCheckCommand(name)).as("%s healthcheck", name).isNotBlank();
			assertThat(memoryLimitBytes(name, services.get(name))).as("%s memory limit", name).isPositive();
		}
		assertThat(healthCheckCommand(PROMETHEUS)).contains(":9090/-/ready");
		assertThat(healthCheckCommand(GRAFANA)).contains(":3000/api/health");
		assertThat(environment(ZIPKIN)).as("zipkin keeps spans in memory, bounded")
			.containsEntry("STORAGE_TYPE", "mem")
			.containsKey("MEM_MAX_SPANS");
	}

	@Test
	void everyAppWithTracingExportsSpansToTheZipkinService() {
		for (String name : concat(USER_SERVICES, ORDER_SERVICES, List.of(GATEWAY))) {
			Map<String, String> env = environment(name);
			assertThat(env).as(name).containsEntry("ZIPKIN_ENABLED", "true");
			assertThat(env.get("ZIPKIN_ENDPOINT")).as("%s ZIPKIN_ENDPOINT", name)
				.isEqualTo("http://" + ZIPKIN + ":9411/api/v2/spans");
		}
	}

	@Test
	void everyAppLogsEcsJson() {
		for (String name : List.of(EUREKA_1, EUREKA_2)) {
			assertThat(environment(name)).as(name).containsEntry("EUREKA_LOG_FORMAT", "ecs");
		}
		// Services and the gateway switch to ECS JSON with the docker profile.
		for (String name : concat(USER_SERVICES, ORDER_SERVICES, List.of(GATEWAY))) {
			assertThat(commaSeparated(environment(name).get("SPRING_PROFILES_ACTIVE"))).as(name).contains("docker");
		}
	}

	@Test
	void prometheusAndGrafanaMountTheirConfigurationFromTheRepositoryReadOnly() {
		Path prometheusConfig = bindMountSource(PROMETHEUS, "/etc/prometheus/prometheus.yml");
		assertThat(prometheusConfig).as("prometheus.yml")
			.isRegularFile()
			.isEqualTo(repoRoot.resolve("observability/prometheus/prometheus.yml"));
		assertThat(String.join(" ", stringList(services.get(PROMETHEUS).get("command"), "prometheus.command")))
			.as("prometheus reads the mounted file")
			.contains("--config.file=/etc/prometheus/prometheus.yml");

		Path provisioning = bindMountSource(GRAFANA, "/etc/grafana/provisioning");
		assertThat(provisioning.resolve("datasources/datasources.yml")).isRegularFile();
		assertThat(provisioning.resolve("dashboards/dashboards.yml")).isRegularFile();
		Path dashboards = bindMountSource(GRAFANA, "/var/lib/grafana/dashboards");
		assertThat(dashboards).isDirectory();
		try (var files = Files.list(dashboards)) {
			assertThat(files.map(file -> file.getFileName().toString()).toList()).as("dashboards")
				.contains("system.json", "gateway.json", "resilience.json");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		// The dashboard provider loads the directory the dashboards are mounted at.
		Map<String, Object> provider = asMap(
				((List<?>) loadYaml(provisioning.resolve("dashboards/dashboards.yml")).get("providers")).get(0),
				"providers[0]");
		assertThat(asMap(provider.get("options"), "providers[0].options").get("path"))
			.isEqualTo("/var/lib/grafana/dashboards");
		assertThat(environment(GRAFANA).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
			.startsWith("/var/lib/grafana/dashboards/");
	}

	@Test
	void grafanaLetsAnonymousUsersViewAndTakesTheAdminPasswordFromTheEnvironment() {
		Map<String, String> env = environment(GRAFANA);
		assertThat(env).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
			.containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
		assertThat(env.get("GF_SECURITY_ADMIN_PASSWORD")).as("admin password from the environment, with a default")
			.matches("\\$\\{GRAFANA_ADMIN_PASSWORD:-[^}]+}");
	}

	@Test
	void prometheusDiscoversTargetsFromTheEurekaPeersOfThisFile() {
		Map<String, Object> config = loadYaml(bindMountSource(PROMETHEUS, "/etc/prometheus/prometheus.yml"));
		List<String> eurekaServers = new ArrayList<>();
		List<String> staticTargets = new ArrayList<>();
		for (Object job : (List<?>) config.get("scrape_configs")) {
			Map<String, Object> scrape = asMap(job, "scrape_configs[]");
			if (scrape.get("eureka_sd_configs") instanceof List<?> sd) {
				sd.forEach(
						entry -> eurekaServers.add(String.valueOf(asMap(entry, "eureka_sd_configs[]").get("server"))));
			}
			if (scrape.get("static_configs") instanceof List<?> statics) {
				statics.forEach(entry -> staticTargets
					.addAll(stringList(asMap(entry, "static_configs[]").get("targets"), "targets")));
			}
		}
		assertThat(eurekaServers).as("eureka_sd_configs servers")
			.containsExactlyInAnyOrder("http://eureka-1:8761/eureka", "http://eureka-2:8761/eureka");
		// The password file it names is the secret Prometheus gets, made from
		// EUREKA_PASSWORD (the registry's password).
		assertThat(stringList(services.get(PROMETHEUS).get("secrets"), "prometheus.secrets"))
			.containsExactly("eureka-password");
		assertThat(asMap(asMap(compose.get("secrets"), "secrets").get("eureka-password"), "secrets.eureka-password"))
			.containsExactly(Map.entry("environment", "EUREKA_PASSWORD"));
		assertThat(staticTargets).as("static targets").contains("eureka-1:8761", "eureka-2:8761");
		for (String target : staticTargets) {
			String host = target.substring(0, target.lastIndexOf(':'));
			if (!host.equals("localhost")) {
				assertThat(services).as("static target %s is a service of this file", target).containsKey(host);
			}
		}
	}

	@Test
	void grafanaDataSourcesPointAtTheComposeServices() {
		Map<String, Object> provisioning = loadYaml(
				bindMountSource(GRAFANA, "/etc/grafana/provisioning").resolve("datasources/datasources.yml"));
		Map<String, String> urls = new LinkedHashMap<>();
		for (Object entry : (List<?>) provisioning.get("datasources")) {
			Map<String, Object> datasource = asMap(entry, "datasources[]");
			urls.put(String.valueOf(datasource.get("type")), String.valueOf(datasource.get("url")));
		}
		assertThat(urls).containsEntry("prometheus", "http://" + PROMETHEUS + ":9090")
			.containsEntry("zipkin", "http://" + ZIPKIN + ":9411");
	}

	// ---- images
	// ---------------------------------------------------------------------------

	@Test
	void everyAppIsBuiltFromTheSharedDockerfileWithAModuleArgNamingARealModule() throws IOException {
		assertThat(repoRoot.resolve("Dockerfile")).isRegularFile();
		String rootPom = Files.readString(repoRoot.resolve("pom.xml"));

		APP_MODULES.forEach((name, expectedModule) -> {
			Map<String, Object> build = asMap(services.get(name).get("build"), name + ".build");
			Path context = repoRoot.resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
			assertThat(context).as("%s build context", name).isEqualTo(repoRoot);
			assertThat(build.getOrDefault("dockerfile", "Dockerfile")).as("%s dockerfile", name)
				.isEqualTo("Dockerfile");

			String module = keyValues(build.get("args"), name + ".build.args").get("MODULE");
			assertThat(module).as("%s MODULE build arg", name).isEqualTo(expectedModule);
			assertThat(context.resolve(module).resolve("pom.xml")).as("%s module pom", name).isRegularFile();
			assertThat(rootPom).as("root pom lists module %s", module).contains("<module>" + module + "</module>");
		});
	}

	@Test
	void dockerfileRunsTheLayeredAppWithAnAotCacheAsANonRootUserOnAJre() throws IOException {
		String dockerfile = Files.readString(repoRoot.resolve("Dockerfile"));
		List<String> instructions = dockerfile.lines()
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.toList();

		assertThat(instructions).anyMatch(line -> line.matches("ARG MODULE(=.*)?"));
		assertThat(instructions).anyMatch(line -> line.contains("-Djarmode=tools") && line.contains("extract"));

		List<String> runtimeStage = instructions.subList(lastIndexStartingWith(instructions, "FROM "),
				instructions.size());
		assertThat(runtimeStage.get(0)).as("runtime base image").containsPattern("jre|JRE_IMAGE");
		// JDK 25+ at run time for the AOT cache; the code stays compiled for 17.
		assertThat(dockerfile).as("runtime base image").containsPattern("eclipse-temurin:25-jre");
		assertThat(dockerfile).as("build image").containsPattern("eclipse-temurin:17-jdk");
		List<String> users = runtimeStage.stream().filter(line -> line.startsWith("USER ")).toList();
		assertThat(users).as("runtime stage USER").isNotEmpty();
		assertThat(users.get(users.size() - 1)).doesNotMatch("USER\\s+(root|0)(:.*)?");
		// The cache is made at image build by a training run that stops after the
		// refresh, and the entrypoint reads it (the option is in the @argfile the
		// training writes).
		assertThat(dockerfile).as("training run")
			.contains("-XX:AOTCacheOutput=app.aot")
			.contains("-Dspring.context.exit=onRefresh")
			.contains("> startup-cache.args");
		assertThat(runtimeStage).anyMatch(line -> line.startsWith("ENTRYPOINT")
				&& line.contains("\"@startup-cache.args\", \"-jar\", \"application.jar\""));

		List<String> layerCopies = runtimeStage.stream()
			.filter(line -> line.startsWith("COPY --from="))
			.map(line -> line.replaceAll(".*/extracted/([\\w-]+)/?.*", "$1"))
			.toList();
		// No launcher layer: the AOT cache needs the plain class path of an extracted
		// jar.
		assertThat(layerCopies).as("layers, least to most often changing")
			.containsExactly("dependencies", "snapshot-dependencies", "application");
	}

	@Test
	void buildContextLeavesOutBuildOutputGitAndKeys() throws IOException {
		Path dockerignore = repoRoot.resolve(".dockerignore");
		assertThat(dockerignore).isRegularFile();
		Set<String> patterns = Files.readAllLines(dockerignore)
			.stream()
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.collect(Collectors.toSet());
		assertThat(patterns).contains("**/target/", ".git/", ".local/", "**/*.key", "**/*.pem", "**/*.p12", "**/*.jks");
	}

	// ---- secrets
	// ----------------------------------------------------------------------------

	@Test
	void noPrivateKeyOrKeystoreIsTrackedOrAboutToBeCommitted() throws Exception {
		List<String> files = gitFiles();
		Pattern secretFile = Pattern.compile(".*\\.(key|p12|pfx|jks|pem)$", Pattern.CASE_INSENSITIVE);
		List<String> offending = files.stream()
			.filter(file -> secretFile.matcher(file).matches())
			.filter(file -> !isUnder(file, "target") && !isUnder(file, ".local") && !isUnder(file, ".git"))
			.toList();
		assertThat(offending).as("key or keystore files known to git (tracked, or untracked and not ignored)")
			.isEmpty();
	}

	// ---- helpers
	// ----------------------------------------------------------------------------

	private static Path findRepoRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
				return dir;
			}
		}
		throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
	}

	private static void assertPeer(String self, String other) {
		Map<String, String> env = environment(self);
		assertThat(env).as(self)
			.containsEntry("EUREKA_HOSTNAME", self)
			.containsEntry("EUREKA_PEER_AWARE", "true")
			.containsEntry("EUREKA_ADDRESS", "0.0.0.0");
		assertThat(commaSeparated(env.get("EUREKA_PEERS")).stream().map(url -> withoutRegistryCredentials(self, url)))
			.as("%s EUREKA_PEERS", self)
			.containsExactly("http://" + other + ":8761/eureka/");
		assertThat(env.get("EUREKA_PASSWORD")).as("%s EUREKA_PASSWORD", self).startsWith("${EUREKA_PASSWORD:?");
	}

	/**
	 * @return the URL without its user-info part, which must be the registry's account
	 * with the password from the environment (required, never a default)
	 */
	private static String withoutRegistryCredentials(String service, String url) {
		Matcher matcher = Pattern.compile("http://registry:\\$\\{EUREKA_PASSWORD:\\?[^}]+}@(.+)").matcher(url);
		assertThat(matcher.matches()).as("%s: %s carries the registry's credentials from EUREKA_PASSWORD", service, url)
			.isTrue();
		return "http://" + matcher.group(1);
	}

	private static String healthCheckCommand(String name) {
		Object test = asMap(services.get(name).get("healthcheck"), name + ".healthcheck").get("test");
		if (test instanceof List<?> list) {
			assertThat(list).as("%s healthcheck test", name).isNotEmpty();
			return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
		}
		return String.valueOf(test);
	}

	private static Set<String> dependencies(String name) {
		Object dependsOn = services.get(name).get("depends_on");
		if (dependsOn == null) {
			return Set.of();
		}
		if (dependsOn instanceof Map<?, ?> map) {
			return map.keySet().stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
		}
		return new TreeSet<>(stringList(dependsOn, name + ".depends_on"));
	}

	private static Map<String, String> environment(String name) {
		return keyValues(services.get(name).get("environment"), name + ".environment");
	}

	/** Compose accepts both {@code KEY: value} maps and {@code - KEY=value} lists. */
	private static Map<String, String> keyValues(Object value, String what) {
		Map<String, String> result = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
		}
		else if (value instanceof List<?> list) {
			for (Object entry : list) {
				String text = String.valueOf(entry);
				int eq = text.indexOf('=');
				result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
			}
		}
		else if (value != null) {
			fail("%s: expected a map or a list but was %s", what, value);
		}
		return result;
	}

	/**
	 * A published port: host address (null = all interfaces), host port (-1 = ephemeral),
	 * container port.
	 */
	private record PublishedPort(String hostIp, int hostPort, int containerPort) {
	}

	private static List<PublishedPort> publishedPorts(Map<String, Object> service) {
		List<PublishedPort> result = new ArrayList<>();
		Object ports = service.get("ports");
		if (!(ports instanceof List<?> list)) {
			return result;
		}
		for (Object entry : list) {
			if (entry instanceof Map<?, ?> longForm) {
				Object published = longForm.get("published");
				Object hostIp = longForm.get("host_ip");
				result.add(new PublishedPort(hostIp == null ? null : String.valueOf(hostIp),
						published == null ? -1 : Integer.parseInt(String.valueOf(published)),
						Integer.parseInt(String.valueOf(longForm.get("target")))));
			}
			else {
				// [host_ip:][host_port:]container_port[/protocol]
				String shortForm = String.valueOf(entry).replaceAll("/(tcp|udp|sctp)$", "");
				String[] parts = shortForm.split(":");
				assertThat(parts.length).as("port '%s' (IPv6 host addresses are not expected)", entry).isBetween(1, 3);
				int target = Integer.parseInt(parts[parts.length - 1]);
				int published = parts.length >= 2 && !parts[parts.length - 2].isEmpty()
						? Integer.parseInt(parts[parts.length - 2]) : -1;
				String hostIp = parts.length == 3 && !parts[0].isEmpty() ? parts[0] : null;
				result.add(new PublishedPort(hostIp, published, target));
			}
		}
		return result;
	}

	/**
	 * @return the repository path mounted at {@code containerPath} (read-only bind mount)
	 */
	private static Path bindMountSource(String name, String containerPath) {
		for (String mount : stringList(services.get(name).get("volumes"), name + ".volumes")) {
			String[] parts = mount.split(":");
			if (parts.length >= 2 && parts[1].equals(containerPath)) {
				assertThat(parts[0]).as("%s mounts %s from the repository", name, containerPath).startsWith("./");
				assertThat(parts.length == 3 ? parts[2] : "").as("%s mount of %s", name, containerPath)
					.matches("(.*,)?ro(,.*)?");
				Path source = repoRoot.resolve(parts[0]).normalize();
				assertThat(source).as("%s mount source", name).startsWith(repoRoot).exists();
				return source;
			}
		}
		throw new AssertionError(name + " mounts nothing at " + containerPath);
	}

	private static Map<String, Object> loadYaml(Path file) {
		try (Reader reader = Files.newBufferedReader(file)) {
			return asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader), file.toString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static long memoryLimitBytes(String name, Map<String, Object> service) {
		Object limit = null;
		if (service.get("deploy") instanceof Map<?, ?> deploy && deploy.get("resources") instanceof Map<?, ?> resources
				&& resources.get("limits") instanceof Map<?, ?> limits) {
			limit = limits.get("memory");
		}
		if (limit == null) {
			limit = service.get("mem_limit");
		}
		assertThat(limit).as("%s deploy.resources.limits.memory or mem_limit", name).isNotNull();
		return parseBytes(String.valueOf(limit));
	}

	private static long parseBytes(String text) {
		Matcher m = Pattern.compile("(\\d+)\\s*([bkmg]?)b?").matcher(text.strip().toLowerCase(Locale.ROOT));
		assertThat(m.matches()).as("memory size '%s'", text).isTrue();
		long number = Long.parseLong(m.group(1));
		return switch (m.group(2)) {
			case "k" -> number * 1024L;
			case "m" -> number * MIB;
			case "g" -> number * 1024L * MIB;
			default -> number;
		};
	}

	private static List<String> commaSeparated(String value) {
		assertThat(value).isNotBlank();
		return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
	}

	private static int lastIndexStartingWith(List<String> lines, String prefix) {
		for (int i = lines.size() - 1; i >= 0; i--) {
			if (lines.get(i).startsWith(prefix)) {
				return i;
			}
		}
		throw new AssertionError("no line starts with " + prefix);
	}

	private static boolean isUnder(String file, String dir) {
		return file.startsWith(dir + "/") || file.contains("/" + dir + "/");
	}

	/** Tracked files plus untracked files that .gitignore does not exclude. */
	private static List<String> gitFiles() throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
				.directory(repoRoot.toFile())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException gitMissing) {
			return Assumptions.abort("git is not installed: " + gitMissing.getMessage());
		}
		byte[] output;
		try (InputStream in = process.getInputStream()) {
			output = in.readAllBytes();
		}
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("git ls-files finished").isTrue();
		Assumptions.assumeTrue(process.exitValue() == 0 || Files.exists(repoRoot.resolve(".git")),
				"not a git work tree: " + repoRoot);
		assertThat(process.exitValue()).as("git ls-files exit code").isZero();
		return Arrays.stream(new String(output, StandardCharsets.UTF_8).split("\0")).filter(s -> !s.isEmpty()).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value, String what) {
		assertThat(value).as("%s must be a mapping", what).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static List<String> stringList(Object value, String what) {
		assertThat(value).as("%s must be a list", what).isInstanceOf(List.class);
		return ((List<?>) value).stream().map(String::valueOf).toList();
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		return Arrays.stream(lists).flatMap(List::stream).toList();
	}

}
