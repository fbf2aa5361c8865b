package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.cloudref.launcher.AppProcess;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real Prometheus with the real {@code observability/prometheus/prometheus.yml}: only
 * the Eureka server URL, the static target addresses and the intervals are replaced, so
 * the discovery and relabeling rules under test are the ones that ship. It must find
 * every instance in Eureka, scrape each on its management port, and run every query of
 * the Grafana dashboards.
 *
 * <p>
 * Needs the {@code prometheus} binary (Debian package {@code prometheus}, which
 * {@code .ci/run} installs); skipped without it.
 */
class PrometheusIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(90);

	private static final String EUREKA_JOB = "eureka-apps";

	/** The job that scrapes the registry (Eureka itself), a static target. */
	private static final String REGISTRY_JOB = "eureka";

	private static LocalSystem system;

	private static Process prometheus;

	private static Path log;

	private static URI base;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Why discovery failed, once it has: the other test fails at once with the same
	 * reason.
	 */
	private static String discoveryFailure;

	@BeforeAll
	static void startPrometheus() throws IOException {
		Path binary = ObservabilityConfigTest.executable("prometheus");
		Assumptions.assumeTrue(binary != null,
				"prometheus is not installed (PATH or /usr/bin/prometheus; Debian: apt-get install prometheus): "
						+ "PrometheusIT skipped");
		system = LocalSystem.get();

		Path dir = system.workDir.resolve("prometheus");
		Files.createDirectories(dir.resolve("data"));
		int port = FreePorts.next();
		base = URI.create("http://127.0.0.1:" + port);
		Path config = dir.resolve("prometheus.yml");
		// What Compose mounts as the eureka-password secret.
		Path password = Files.writeString(dir.resolve("eureka-password"), system.registryCredentials.password());
		try (Writer writer = Files.newBufferedWriter(config)) {
			DumperOptions options = new DumperOptions();
			options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
			new Yaml(options).dump(
					testConfig(ObservabilityConfigTest.prometheusConfig(), system.eurekaPort, port, password), writer);
		}
		log = dir.resolve("prometheus.log");
		System.out.println(binary + " --config.file=" + config + " on " + base + " (log " + log + ")");
		prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		Awaitility.await("prometheus ready on " + base)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (!prometheus.isAlive()) {
					fail("prometheus exited with %d:%n%s", prometheus.exitValue(), Files.readString(log));
				}
				HttpResponse<String> ready = tryGet("/-/ready");
				return ready != null && ready.statusCode() == 200;
			});
	}

	@AfterAll
	static void stopPrometheus() throws InterruptedException {
		if (prometheus != null && prometheus.isAlive()) {
			prometheus.destroy();
			if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
				prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * The shipped configuration, pointed at this system: every Eureka server URL becomes
	 * the local registry, the registry's password file this test's, static Eureka targets
	 * its address, the self-scrape this Prometheus; discovery and scrapes every 5 s.
	 * Relabeling, paths, labels and the registry's user name stay.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> testConfig(Map<String, Object> shipped, int eurekaPort, int prometheusPort,
			Path registryPasswordFile) {
		Map<String, Object> config = new LinkedHashMap<>(shipped);
		Map<String, Object> global = new LinkedHashMap<>(
				ObservabilityConfigTest.map(config.getOrDefault("global", Map.of()), "global"));
		global.put("scrape_interval", "5s");
		global.put("scrape_timeout", "4s");
		global.put("evaluation_interval", "5s");
		config.put("global", global);
		String eureka = "127.0.0.1:" + eurekaPort;
		List<Map<String, Object>> jobs = new ArrayList<>();
		for (Map<String, Object> shippedJob : ObservabilityConfigTest.scrapeConfigs(shipped)) {
			Map<String, Object> job = new LinkedHashMap<>(shippedJob);
			job.remove("scrape_interval");
			job.remove("scrape_timeout");
			if (job.get("eureka_sd_configs") instanceof List<?> sd) {
				List<Map<String, Object>> servers = new ArrayList<>();
				for (Object entry : sd) {
					Map<String, Object> server = new LinkedHashMap<>((Map<String, Object>) entry);
					server.put("server", "http://" + eureka + "/eureka");
					server.put("refresh_interval", "5s");
					Map<String, Object> auth = new LinkedHashMap<>(
							ObservabilityConfigTest.map(server.get("basic_auth"), "eureka_sd_configs[].basic_auth"));
					auth.put("password_file", registryPasswordFile.toString());
					server.put("basic_auth", auth);
					servers.add(server);
				}
				job.put("eureka_sd_configs", servers);
			}
			if (job.get("static_configs") instanceof List<?> statics) {
				List<Map<String, Object>> groups = new ArrayList<>();
				for (Object entry : statics) {
					Map<String, Object> group = new LinkedHashMap<>((Map<String, Object>) entry);
					Set<String> targets = new LinkedHashSet<>();
					for (String target : ObservabilityConfigTest.strings(group.get("targets"))) {
						if (target.startsWith("eureka-")) {
							targets.add(eureka);
						}
						else if (target.startsWith("localhost:") || target.startsWith("127.0.0.1:")) {
							targets.add("127.0.0.1:" + prometheusPort);
						}
						else {
							fail("static target %s: no local counterpart in the test", target);
						}
					}
					group.put("targets", new ArrayList<>(targets));
					groups.add(group);
				}
				job.put("static_configs", groups);
			}
			jobs.add(job);
		}
		config.put("scrape_configs", jobs);
		return config;
	}

	@Test
	void discoversEveryInstanceFromEurekaAndScrapesItOnItsManagementPort() {
		Map<String, AppProcess> expected = new TreeMap<>();
		system.allApps().forEach(app -> expected.put(app.name(), app));
		// The config server registers too, so that it is scraped like the apps.
		expected.put(system.configServer.name(), system.configServer);
		if (system.authServer != null) {
			expected.put(system.authServer.name(), system.authServer);
		}
		List<JsonNode> targets = awaitEveryInstanceUp();
		System.out.println("Prometheus targets:\n" + describe(targets));

		// Each instance exactly once (both eureka_sd_configs entries list it), on its
		// management port.
		List<JsonNode> discovered = targets.stream()
			.filter(t -> t.path("labels").path("job").asString().equals(EUREKA_JOB))
			.toList();
		assertThat(discovered).as("targets of job %s", EUREKA_JOB).hasSize(expected.size());
		for (AppProcess app : expected.values()) {
			String port = ":" + app.managementPort() + "/actuator/prometheus";
			List<JsonNode> matching = discovered.stream()
				.filter(t -> t.path("scrapeUrl").asString().endsWith(port))
				.toList();
			assertThat(matching).as("target scraping %s on its management port %d", app.name(), app.managementPort())
				.hasSize(1);
			JsonNode labels = matching.get(0).path("labels");
			String application = app.name().replaceFirst("-\\d+$", "");
			assertThat(labels.path("application").asString()).as("%s application label", app.name())
				.isEqualTo(application);
			assertThat(labels.path("instance").asString()).as("%s instance label (its Eureka instance id)", app.name())
				.matches(application + ":[^:]+:" + app.appPort());
		}
		assertThat(targets).as("the registry is scraped too")
			.anyMatch(t -> t.path("labels").path("application").asString().equals("eureka-server")
					&& t.path("health").asString().equals("up"));
	}

	@Test
	void everyDashboardQueryRunsAndTheKeyPanelsShowData() {
		Map<String, String> queries = dashboardQueries();
		int instances = system.userServices.size() + system.orderServices.size();
		// With traffic and healthy services these panels must show data (the least number
		// of series). The others (429s, open breakers, 5xx, time-outs) stay empty while
		// nothing goes wrong.
		Map<String, Integer> keyPanels = new LinkedHashMap<>();
		keyPanels.put("system.json / Instances up / A", 5); // 4 applications and
															// Prometheus itself
		keyPanels.put("system.json / Request rate per service / A", 3);
		keyPanels.put("system.json / Latency p95 per service / A", 3);
		keyPanels.put("system.json / Calls per caller → callee and status / A", 2);
		keyPanels.put("system.json / Call latency p95 per caller → callee / A", 2);
		keyPanels.put("system.json / Heap used per instance / A", instances + 2);
		keyPanels.put("gateway.json / Requests per route / A", 2);
		keyPanels.put("gateway.json / Requests per API key / A", 2); // system-test and
																		// none
		keyPanels.put("gateway.json / Rejected without a valid key (401/s) / A", 1);
		keyPanels.put("gateway.json / Latency p95 / A", 1);
		keyPanels.put("resilience.json / Circuit breaker state per instance / A", instances);
		keyPanels.put("resilience.json / Guarded calls per outcome / A", 2);
		keyPanels.put("resilience.json / Requests per instance of each service / A", instances);
		assertThat(queries).as("dashboard queries").containsKeys(keyPanels.keySet().toArray(String[]::new));
		awaitEveryInstanceUp();

		// Traffic until rates over it exist (at least two scrapes of every series).
		String userId = createUser(system.gatewayClient()).path("id").asString();
		Map<String, Integer> shown = new TreeMap<>();
		try {
			Awaitility.await("data in the key panels")
				.atMost(DISCOVERY_TIMEOUT)
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> {
					GatewayClient gateway = system.gatewayClient();
					for (int i = 0; i < 2 * LocalSystem.INSTANCES; i++) {
						gateway.get("/api/users/" + userId + "/orders");
						placeOrder(gateway, userId, "PROM-" + i, 1);
					}
					gateway.anonymous("GET", "/api/users");
					keyPanels.keySet().forEach(panel -> shown.put(panel, query(queries.get(panel)).size()));
					return keyPanels.entrySet().stream().allMatch(e -> shown.get(e.getKey()) >= e.getValue());
				});
		}
		catch (ConditionTimeoutException ex) {
			fail("Series per key panel after %s: %s, expected at least %s", DISCOVERY_TIMEOUT, shown, keyPanels);
		}

		Map<String, Integer> resultsByPanel = new TreeMap<>();
		queries.forEach((panel, expr) -> resultsByPanel.put(panel, query(expr).size())); // fails
																							// if
																							// rejected
		System.out.println("Dashboard queries (series returned):");
		resultsByPanel.forEach((panel, count) -> System.out.printf("  %3d  %s%n", count, panel));

		Map<String, String> upByApplication = new TreeMap<>();
		for (JsonNode series : query("sum by (application) (up)")) {
			upByApplication.put(series.path("metric").path("application").asString(),
					series.path("value").get(1).asString());
		}
		assertThat(upByApplication).as("instances up per application")
			.containsEntry("user-service", String.valueOf(system.userServices.size()))
			.containsEntry("order-service", String.valueOf(system.orderServices.size()))
			.containsEntry("api-gateway", "1")
			.containsEntry("eureka-server", "1");
	}

	/**
	 * @return "file / panel title / refId" → expression, with Grafana's variables
	 * replaced
	 */
	private static Map<String, String> dashboardQueries() {
		Map<String, String> queries = new TreeMap<>();
		ObservabilityConfigTest.dashboards().forEach((file, dashboard) -> {
			for (JsonNode panel : ObservabilityConfigTest.panels(dashboard)) {
				for (JsonNode target : panel.path("targets")) {
					queries.put(file + " / " + panel.path("title").asString() + " / " + target.path("refId").asString(),
							ObservabilityConfigTest.withVariablesReplaced(target.path("expr").asString()));
				}
			}
		});
		return queries;
	}

	// ---- helpers
	// ----------------------------------------------------------------------------

	/**
	 * Waits until Prometheus has discovered every instance of the system from Eureka and
	 * its last scrape of each succeeded.
	 * @return the active targets
	 */
	private static List<JsonNode> awaitEveryInstanceUp() {
		if (discoveryFailure != null) {
			fail(discoveryFailure);
		}
		// The registry itself is a static target (job "eureka"), scraped on its own
		// schedule: wait for its first scrape too, not only for the instances it lists.
		Map<String, Integer> expectedPerApplication = Map.of("user-service", system.userServices.size(),
				"order-service", system.orderServices.size(), "api-gateway", 1, "eureka-server", 1);
		AtomicReference<List<JsonNode>> last = new AtomicReference<>(List.of());
		try {
			Awaitility.await("every instance discovered from Eureka and up")
				.atMost(DISCOVERY_TIMEOUT)
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> {
					List<JsonNode> targets = activeTargets();
					last.set(targets);
					return allUp(targets, expectedPerApplication);
				});
		}
		catch (ConditionTimeoutException ex) {
			String targets = describe(last.get());
			String hint = targets.contains("does not support exemplars")
					? "\nThis Prometheus is older than 2.43 and cannot parse exemplars on _count series in the "
							+ "OpenMetrics format the apps answer with. Set management.prometheus.metrics.export."
							+ "properties.io.prometheus.exporter.exemplarsOnAllMetricTypes=false in the apps, or use "
							+ "Prometheus >= 2.43."
					: "";
			discoveryFailure = String.format("Prometheus targets after %s:%n%s%s%nPrometheus log: %s",
					DISCOVERY_TIMEOUT, targets, hint, log);
			fail(discoveryFailure);
		}
		return last.get();
	}

	private static boolean allUp(List<JsonNode> targets, Map<String, Integer> expectedPerApplication) {
		Map<String, Integer> up = new TreeMap<>();
		for (JsonNode target : targets) {
			String job = target.path("labels").path("job").asString();
			if ((job.equals(EUREKA_JOB) || job.equals(REGISTRY_JOB)) && target.path("health").asString().equals("up")) {
				up.merge(target.path("labels").path("application").asString(), 1, Integer::sum);
			}
		}
		return expectedPerApplication.entrySet()
			.stream()
			.allMatch(e -> up.getOrDefault(e.getKey(), 0).equals(e.getValue()));
	}

	private static List<JsonNode> activeTargets() {
		HttpResponse<String> response = tryGet("/api/v1/targets?state=active");
		List<JsonNode> targets = new ArrayList<>();
		if (response != null && response.statusCode() == 200) {
			JSON.readTree(response.body()).path("data").path("activeTargets").forEach(targets::add);
		}
		return targets;
	}

	private static String describe(List<JsonNode> targets) {
		StringBuilder text = new StringBuilder();
		for (JsonNode target : targets) {
			text.append(String.format("  %-12s %-40s %-5s %s %s%n", target.path("labels").path("job").asString(),
					target.path("labels").path("instance").asString(), target.path("health").asString(),
					target.path("scrapeUrl").asString(), target.path("lastError").asString()));
		}
		return text.isEmpty() ? "  (none)\n" : text.toString();
	}

	/** Runs an instant query; fails if Prometheus rejects it. */
	private static List<JsonNode> query(String promql) {
		HttpResponse<String> response = tryGet(
				"/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		assertThat(response).as("Prometheus answered %s", promql).isNotNull();
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("status").asString()).as("query %s: %s", promql, response.body()).isEqualTo("success");
		List<JsonNode> result = new ArrayList<>();
		body.path("data").path("result").forEach(result::add);
		return result;
	}

	private static HttpResponse<String> tryGet(String path) {
		HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
