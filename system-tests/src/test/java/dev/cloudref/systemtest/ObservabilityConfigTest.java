package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Static checks of the observability configuration under {@code observability/}: the
 * Prometheus scrape configuration (Eureka discovery, management port, metrics path),
 * Grafana's provisioning and the dashboards. Needs nothing running; if {@code promtool}
 * is installed it must accept the configuration too.
 *
 * <p>
 * Also holds the helpers that {@link MetricsIT} and {@link PrometheusIT} use to read the
 * same files, so that every test checks the configuration that ships.
 */
class ObservabilityConfigTest {

	/** uid of the provisioned Prometheus data source; every dashboard refers to it. */
	static final String PROMETHEUS_UID = "cloudref-prometheus";

	static final String DASHBOARDS_IN_CONTAINER = "/var/lib/grafana/dashboards";

	static final String MANAGEMENT_PORT_META = "__meta_eureka_app_instance_metadata_management_port";

	static final List<String> DASHBOARDS = List.of("system.json", "gateway.json", "resilience.json");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** PromQL words that look like metric names: aggregations, keywords, modifiers. */
	private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
			"count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "by", "without", "on",
			"ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan",
			"start", "end");

	/** Grafana's built-in variables, with values a real query would get. */
	private static final Map<String, String> GRAFANA_BUILTINS = Map.of("__rate_interval", "1m", "__interval", "15s",
			"__range", "5m");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?\\}?");

	// ---- prometheus.yml
	// -------------------------------------------------------------------

	@Test
	void prometheusDiscoversAppsFromEurekaAndScrapesTheirActuatorOnTheManagementPort() {
		Map<String, Object> job = eurekaJob(prometheusConfig());

		assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
		assertThat(job.get("honor_labels")).as("honor_labels keeps the apps' own instance/application tags")
			.isEqualTo(Boolean.TRUE);
		List<Map<String, Object>> sd = maps(job.get("eureka_sd_configs"), "eureka_sd_configs");
		assertThat(sd).isNotEmpty()
			.allSatisfy(entry -> assertThat(String.valueOf(entry.get("server"))).matches("https?://[^/]+/eureka/?"));
		// The registry is closed to anonymous clients: the password comes from a file
		// (Compose's eureka-password secret), never from this file.
		assertThat(sd).allSatisfy(
				entry -> assertThat(map(entry.get("basic_auth"), "basic_auth")).containsEntry("username", "registry")
					.containsEntry("password_file", "/run/secrets/eureka-password")
					.doesNotContainKey("password"));

		List<Map<String, Object>> relabels = maps(job.get("relabel_configs"), "relabel_configs");
		Map<String, Object> address = relabels.stream()
			.filter(r -> "__address__".equals(r.get("target_label")))
			.filter(r -> strings(r.get("source_labels")).contains(MANAGEMENT_PORT_META))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no relabeling sets __address__ from " + MANAGEMENT_PORT_META));
		// Simulate it: Prometheus joins the source labels with ';' and the regex must
		// match whole.
		List<String> sources = strings(address.get("source_labels"));
		Map<String, String> discovered = Map.of("__meta_eureka_app_instance_ip_addr", "172.18.0.7",
				"__meta_eureka_app_instance_hostname", "172.18.0.7", MANAGEMENT_PORT_META, "8081");
		String joined = String.join(";", sources.stream().map(s -> discovered.getOrDefault(s, "")).toList());
		Matcher matcher = Pattern.compile("^(?:" + address.getOrDefault("regex", "(.*)") + ")$").matcher(joined);
		assertThat(matcher.matches()).as("regex of the __address__ relabeling matches '%s'", joined).isTrue();
		String replacement = String.valueOf(address.getOrDefault("replacement", "$1"));
		assertThat(matcher.replaceAll(replacement.replaceAll("\\$\\{?(\\d+)\\}?", "\\$$1"))).as("scrape address")
			.isEqualTo("172.18.0.7:8081");

		assertThat(relabels).as("application label from the Eureka app name")
			.anyMatch(r -> "application".equals(r.get("target_label"))
					&& strings(r.get("source_labels")).contains("__meta_eureka_app_name"));
	}

	@Test
	void prometheusScrapesBothEurekaPeersStatically() {
		Map<String, Object> job = scrapeConfigs(prometheusConfig()).stream()
			.filter(j -> "eureka".equals(j.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no scrape job 'eureka'"));
		assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
		List<String> targets = maps(job.get("static_configs"), "static_configs").stream()
			.flatMap(c -> strings(c.get("targets")).stream())
			.toList();
		assertThat(targets).containsExactlyInAnyOrder("eureka-1:8761", "eureka-2:8761");
	}

	@Test
	void promtoolAcceptsTheConfiguration() throws Exception {
		Path promtool = executable("promtool");
		Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus); skipped");
		Process process = new ProcessBuilder(promtool.toString(), "check", "config", prometheusYml().toString())
			.redirectErrorStream(true)
			.start();
		String output;
		try (InputStream in = process.getInputStream()) {
			output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		System.out.println(output.strip());
		assertThat(process.exitValue()).as("promtool check config:\n%s", output).isZero();
	}

	// ---- Grafana provisioning
	// ---------------------------------------------------------------

	@Test
	void grafanaProvisionsPrometheusWithTheUidTheDashboardsUse() {
		Map<String, Object> provisioning = yaml(
				repoRoot().resolve("observability/grafana/provisioning/datasources/datasources.yml"));
		assertThat(provisioning.get("apiVersion")).isEqualTo(1);
		List<Map<String, Object>> datasources = maps(provisioning.get("datasources"), "datasources");
		Map<String, Object> prometheus = datasources.stream()
			.filter(d -> PROMETHEUS_UID.equals(d.get("uid")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no data source with uid " + PROMETHEUS_UID));
		assertThat(prometheus.get("type")).isEqualTo("prometheus");
		assertThat(prometheus.get("isDefault")).isEqualTo(Boolean.TRUE);
		assertThat(String.valueOf(prometheus.get("url"))).startsWith("http://");
		assertThat(datasources).extracting(d -> d.get("uid")).doesNotHaveDuplicates().doesNotContainNull();
	}

	@Test
	void grafanaLoadsTheDashboardsDirectory() {
		Map<String, Object> provisioning = yaml(
				repoRoot().resolve("observability/grafana/provisioning/dashboards/dashboards.yml"));
		assertThat(provisioning.get("apiVersion")).isEqualTo(1);
		List<Map<String, Object>> providers = maps(provisioning.get("providers"), "providers");
		assertThat(providers).hasSize(1);
		assertThat(providers.get(0).get("type")).isEqualTo("file");
		Map<String, Object> options = map(providers.get(0).get("options"), "providers[0].options");
		assertThat(options.get("path")).isEqualTo(DASHBOARDS_IN_CONTAINER);
		assertThat(dashboardsDir()).isDirectory();
	}

	// ---- dashboards
	// -------------------------------------------------------------------------

	@Test
	void everyDashboardParsesAndHasATitleAUniqueUidAndPanels() {
		Set<String> uids = new HashSet<>();
		Set<String> titles = new HashSet<>();
		for (Map.Entry<String, JsonNode> entry : dashboards().entrySet()) {
			String name = entry.getKey();
			JsonNode dashboard = entry.getValue();
			assertThat(dashboard.path("title").asString()).as("%s title", name).isNotBlank();
			assertThat(dashboard.path("uid").asString()).as("%s uid", name).matches("[A-Za-z0-9_-]{1,40}");
			assertThat(uids.add(dashboard.path("uid").asString())).as("%s uid is unique", name).isTrue();
			assertThat(titles.add(dashboard.path("title").asString())).as("%s title is unique", name).isTrue();
			assertThat(dashboard.path("schemaVersion").asInt()).as("%s schemaVersion", name).isBetween(36, 41);
			assertThat(dashboard.has("id") && !dashboard.get("id").isNull()).as("%s must not carry a database id", name)
				.isFalse();
			List<JsonNode> panels = panels(dashboard);
			assertThat(panels).as("%s panels", name).hasSizeGreaterThan(3);
			Set<Integer> ids = new HashSet<>();
			for (JsonNode panel : panels) {
				assertThat(ids.add(panel.path("id").asInt())).as("%s panel id %s unique", name, panel.path("id"))
					.isTrue();
				assertThat(panel.path("title").asString()).as("%s panel title", name).isNotBlank();
				assertThat(panel.path("gridPos").path("w").asInt()).as("%s '%s' width", name, panel.path("title"))
					.isBetween(1, 24);
			}
		}
		assertThat(dashboards().keySet()).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
	}

	@Test
	void everyPanelQueriesTheProvisionedPrometheusWithANonEmptyExpression() {
		dashboards().forEach((name, dashboard) -> {
			for (JsonNode panel : panels(dashboard)) {
				if (panel.path("type").asString().equals("row")) {
					continue;
				}
				String title = name + " '" + panel.path("title").asString() + "'";
				assertThat(panel.path("datasource").path("uid").asString()).as("%s data source", title)
					.isEqualTo(PROMETHEUS_UID);
				assertThat(panel.path("targets").size()).as("%s targets", title).isPositive();
				for (JsonNode target : panel.path("targets")) {
					assertThat(target.path("expr").asString()).as("%s expr", title).isNotBlank();
					assertThat(target.path("refId").asString()).as("%s refId", title).isNotBlank();
					assertThat(target.path("datasource").path("uid").asString(PROMETHEUS_UID))
						.as("%s target data source", title)
						.isEqualTo(PROMETHEUS_UID);
				}
			}
			for (JsonNode variable : dashboard.path("templating").path("list")) {
				if (variable.path("type").asString().equals("query")) {
					assertThat(variable.path("datasource").path("uid").asString())
						.as("%s variable %s data source", name, variable.path("name"))
						.isEqualTo(PROMETHEUS_UID);
				}
			}
		});
	}

	@Test
	void dashboardVariablesAreDefinedAndUsedOnlyInRegexMatchers() {
		dashboards().forEach((name, dashboard) -> {
			Set<String> defined = new HashSet<>();
			dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asString()));
			for (String expr : expressions(dashboard)) {
				Matcher variable = VARIABLE.matcher(expr);
				while (variable.find()) {
					String var = variable.group(1);
					if (GRAFANA_BUILTINS.containsKey(var)) {
						continue;
					}
					assertThat(defined).as("%s: variable $%s in %s", name, var, expr).contains(var);
					// With "All" or several values selected Grafana puts in a regex.
					String before = expr.substring(0, variable.start());
					assertThat(before).as("%s: $%s must be inside a =~ matcher in %s", name, var, expr)
						.matches("(?s).*=~\\s*\"[^\"]*");
				}
			}
		});
	}

	@Test
	void dashboardsCoverTheSignalsTheIssueAsksFor() {
		String system = String.join("\n", expressions(dashboards().get("system.json")));
		assertThat(system).contains("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
				"histogram_quantile(0.5", "histogram_quantile(0.95", "histogram_quantile(0.99", "status=~\"5..\"",
				"up{");
		String gateway = String.join("\n", expressions(dashboards().get("gateway.json")));
		assertThat(gateway).contains("spring_cloud_gateway_requests_seconds_count", "by (routeId", "api_key_id",
				"status=~\"4..\"", "status=~\"5..\"", "status=\"429\"");
		String resilience = String.join("\n", expressions(dashboards().get("resilience.json")));
		assertThat(resilience).contains("resilience4j_circuitbreaker_state", "resilience4j_circuitbreaker_failure_rate",
				"resilience4j_circuitbreaker_not_permitted_calls_total", "http_client_requests_seconds_count");
	}

	@Test
	void metricNamesAreFoundInPromqlExpressions() {
		assertThat(metricNames("sum by (application, le) (rate(http_server_requests_seconds_bucket"
				+ "{application=~\"$application\", uri!~\"/actuator.*\"}[$__rate_interval]))"))
			.containsExactly("http_server_requests_seconds_bucket");
		assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(a_bucket{x=\"y z\"}[5m]))) / on (x) "
				+ "group_left (y) b_total offset 1h > bool 1e3 or max without (instance) (c)"))
			.containsExactlyInAnyOrder("a_bucket", "b_total", "c");
		assertThat(metricNames("max by (app) (s{state=\"open\"} * 2 or s{state=\"closed\"} * 0) >= 0 and up"))
			.containsExactlyInAnyOrder("s", "up");
	}

	// ---- helpers shared with MetricsIT and PrometheusIT
	// ---------------------------------------

	static Path repoRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve("observability")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
				return dir;
			}
		}
		throw new IllegalStateException("no observability/ directory above " + Path.of("").toAbsolutePath());
	}

	static Path prometheusYml() {
		return repoRoot().resolve("observability/prometheus/prometheus.yml");
	}

	static Path dashboardsDir() {
		return repoRoot().resolve("observability/grafana/dashboards");
	}

	static Map<String, Object> prometheusConfig() {
		return yaml(prometheusYml());
	}

	static List<Map<String, Object>> scrapeConfigs(Map<String, Object> config) {
		return maps(config.get("scrape_configs"), "scrape_configs");
	}

	/**
	 * @return the one scrape job that discovers its targets from Eureka
	 */
	static Map<String, Object> eurekaJob(Map<String, Object> config) {
		List<Map<String, Object>> jobs = scrapeConfigs(config).stream()
			.filter(job -> job.containsKey("eureka_sd_configs"))
			.toList();
		assertThat(jobs).as("scrape jobs with eureka_sd_configs").hasSize(1);
		return jobs.get(0);
	}

	/**
	 * @return every dashboard JSON file by file name, parsed
	 */
	static Map<String, JsonNode> dashboards() {
		Map<String, JsonNode> result = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(dashboardsDir())) {
			for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = JSON.readTree(Files.readString(file));
				assertThat(dashboard.isObject()).as("%s is a JSON object", file).isTrue();
				result.put(file.getFileName().toString(), dashboard);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return result;
	}

	/**
	 * @return the panels of a dashboard, including those nested in collapsed rows
	 */
	static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> result = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			result.add(panel);
			panel.path("panels").forEach(result::add);
		}
		return result;
	}

	/**
	 * @return every PromQL expression of a dashboard's panels
	 */
	static List<String> expressions(JsonNode dashboard) {
		List<String> result = new ArrayList<>();
		for (JsonNode panel : panels(dashboard)) {
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				if (!expr.isBlank()) {
					result.add(expr);
				}
			}
		}
		return result;
	}

	/**
	 * Replaces Grafana variables the way Grafana would with "All" selected: built-ins by
	 * a duration, dashboard variables by {@code .*} (they are only used in regex
	 * matchers).
	 */
	static String withVariablesReplaced(String expr) {
		Matcher variable = VARIABLE.matcher(expr);
		StringBuilder result = new StringBuilder();
		while (variable.find()) {
			variable.appendReplacement(result,
					Matcher.quoteReplacement(GRAFANA_BUILTINS.getOrDefault(variable.group(1), ".*")));
		}
		return variable.appendTail(result).toString();
	}

	/**
	 * The metric names a PromQL expression selects: identifiers outside strings, label
	 * matchers, ranges and grouping clauses that are neither function calls nor PromQL
	 * keywords. Names are returned exactly as written ({@code _bucket}, {@code _count},
	 * {@code _sum} included), as they appear in a scrape.
	 */
	static Set<String> metricNames(String expr) {
		String e = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
			.replaceAll("`[^`]*`", "``")
			.replaceAll("\\{[^}]*}", "{}")
			.replaceAll("\\[[^\\]]*\\]", "[]")
			.replaceAll("\\$\\{?\\w+(?::\\w+)?}?", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ");
		Set<String> names = new LinkedHashSet<>();
		// Possessive, so that "rate(" cannot match as "rat" followed by "e".
		Matcher identifier = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(e);
		while (identifier.find()) {
			String word = identifier.group(1);
			if (!PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
				names.add(word);
			}
		}
		return names;
	}

	/**
	 * @return the metric names every dashboard refers to, with the dashboards that do
	 */
	static Map<String, Set<String>> dashboardMetricNames() {
		Map<String, Set<String>> result = new java.util.TreeMap<>();
		dashboards().forEach((name, dashboard) -> expressions(dashboard).forEach(expr -> metricNames(expr)
			.forEach(metric -> result.computeIfAbsent(metric, k -> new java.util.TreeSet<>()).add(name))));
		return result;
	}

	/**
	 * @return the sample names in a Prometheus text-format scrape
	 */
	static Set<String> sampleNames(String scrape) {
		Set<String> names = new HashSet<>();
		for (String line : scrape.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int end = 0;
			while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
				end++;
			}
			names.add(line.substring(0, end));
		}
		return names;
	}

	static Path executable(String name) {
		String path = System.getenv("PATH");
		List<Path> candidates = new ArrayList<>();
		if (path != null) {
			for (String dir : path.split(java.io.File.pathSeparator)) {
				if (!dir.isBlank()) {
					candidates.add(Path.of(dir, name));
				}
			}
		}
		candidates.add(Path.of("/usr/bin", name));
		return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
	}

	static Map<String, Object> yaml(Path file) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		try (Reader reader = Files.newBufferedReader(file)) {
			return map(new Yaml(new SafeConstructor(options)).load(reader), file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value, String what) {
		if (!(value instanceof Map<?, ?>)) {
			fail("%s must be a mapping but was %s", what, value);
		}
		return (Map<String, Object>) value;
	}

	static List<Map<String, Object>> maps(Object value, String what) {
		if (!(value instanceof List<?> list)) {
			return fail("%s must be a list but was %s", what, value);
		}
		return list.stream().map(item -> map(item, what + "[]")).toList();
	}

	static List<String> strings(Object value) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of(String.valueOf(value));
	}

}
