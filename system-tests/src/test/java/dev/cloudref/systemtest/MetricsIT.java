package dev.cloudref.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cloudref.launcher.AppProcess;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every app exports at {@code /actuator/prometheus} on its management port, after
 * real traffic through the gateway: the series the dashboards and alerting rely on, with
 * the tags they group by. Every metric name that a dashboard under
 * {@code observability/grafana/dashboards} queries must be in these scrapes.
 */
class MetricsIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The key id LocalSystem configures for its API key. */
	private static final String KEY_ID = "system-test";

	/** Series one line of a scrape: name, labels, value. */
	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** Metrics that Prometheus creates for each target itself. */
	private static final Set<String> PROMETHEUS_METRICS = Set.of("up", "scrape_duration_seconds",
			"scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

	private static LocalSystem system;

	private static GatewayClient gateway;

	private static String userId;

	@BeforeAll
	static void traffic() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
		userId = createUser(gateway).path("id").asString();
		sendTraffic();
	}

	/**
	 * Requests of every kind, each several times in a row so that round-robin reaches
	 * every instance: user-service → order-service (a user's orders) and order-service →
	 * user-service (placing an order), plus one request without a key.
	 */
	private static void sendTraffic() {
		for (int i = 0; i < 2 * LocalSystem.INSTANCES; i++) {
			assertThat(gateway.get("/api/users?page=0&size=5").status()).isEqualTo(200);
		}
		for (int i = 0; i < 2 * LocalSystem.INSTANCES; i++) {
			ApiResponse orders = gateway.get("/api/users/" + userId + "/orders");
			assertThat(orders.status()).as(orders.toString()).isEqualTo(200);
		}
		for (int i = 0; i < 2 * LocalSystem.INSTANCES; i++) {
			ApiResponse order = placeOrder(gateway, userId, "METRICS-" + i, 1);
			assertThat(order.status()).as(order.toString()).isEqualTo(201);
		}
		assertThat(gateway.get("/api/orders?userId=" + userId).status()).isEqualTo(200);
		assertThat(gateway.anonymous("GET", "/api/users").status()).isEqualTo(401);
	}

	// ---- tags on every app
	// ------------------------------------------------------------------

	@Test
	void everySeriesOfEveryAppCarriesItsApplicationAndEurekaInstanceId() {
		Map<String, String> registered = registeredInstanceIds();
		for (AppProcess app : appsWithEureka()) {
			String application = applicationName(app);
			List<Sample> samples = scrape(app);
			assertThat(samples).as("%s scrape", app.name()).isNotEmpty();

			Set<String> instances = new TreeSet<>();
			for (Sample sample : samples) {
				assertThat(sample.labels()).as("%s: %s", app.name(), sample.line())
					.containsEntry("application", application)
					.containsKey("instance");
				instances.add(sample.labels().get("instance"));
			}
			assertThat(instances).as("%s: one instance tag for every series", app.name()).hasSize(1);
			String instance = instances.iterator().next();
			assertThat(instance).as("%s instance tag", app.name())
				.matches(Pattern.quote(application) + ":[^:]+:" + app.appPort());
			if (app != system.eureka) {
				assertThat(registered).as("Eureka instance ids").containsKey(instance);
				assertThat(registered.get(instance)).as("application of %s in Eureka", instance)
					.isEqualToIgnoringCase(application);
			}
		}
	}

	@Test
	void everyAppTimesItsHttpRequests() {
		for (AppProcess app : appsWithEureka()) {
			assertThat(find(scrape(app), "http_server_requests_seconds_count",
					labels -> labels.containsKey("uri") && labels.containsKey("status") && labels.containsKey("method")
							&& labels.containsKey("outcome")))
				.as("%s http_server_requests_seconds_count with method, uri, status, outcome", app.name())
				.isNotEmpty();
		}
		// Percentiles need histogram buckets: services and the gateway publish them.
		for (AppProcess app : system.allApps()) {
			assertThat(find(scrape(app), "http_server_requests_seconds_bucket", labels -> labels.containsKey("le")))
				.as("%s http_server_requests_seconds_bucket", app.name())
				.isNotEmpty();
		}
	}

	@Test
	void servicesTimeTheirRequestsPerRouteTemplate() {
		Set<String> userUris = uris(system.userServices);
		assertThat(userUris).contains("/users", "/users/{id}/orders");
		Set<String> orderUris = uris(system.orderServices);
		assertThat(orderUris).contains("/orders");
	}

	// ---- gateway
	// ----------------------------------------------------------------------------

	@Test
	void gatewayTagsRequestsWithTheApiKeyIdOrNone() {
		List<Sample> samples = scrape(system.gateway);
		assertThat(find(samples, "http_server_requests_seconds_count",
				labels -> KEY_ID.equals(labels.get("api_key_id")) && "200".equals(labels.get("status"))))
			.as("requests with the test key are tagged api_key_id=\"%s\"", KEY_ID)
			.isNotEmpty();
		assertThat(find(samples, "http_server_requests_seconds_count",
				labels -> "none".equals(labels.get("api_key_id")) && "401".equals(labels.get("status"))))
			.as("requests without a key are tagged api_key_id=\"none\"")
			.isNotEmpty();
		assertThat(find(samples, "http_server_requests_seconds_count", labels -> !labels.containsKey("api_key_id")))
			.as("every gateway request has an api_key_id tag")
			.isEmpty();
		assertThat(find(samples, "http_server_requests_seconds_count", labels -> true))
			.extracting(sample -> sample.labels().get("api_key_id"))
			.as("api_key_id holds configured key ids, the OAuth client of a bearer token (OAuth2IT), or none; "
					+ "never a key")
			.allMatch(id -> id.equals(KEY_ID) || id.equals(LocalSystem.LIMITED_KEY_ID)
					|| id.equals(LocalSystem.LOAD_KEY_ID) || id.equals("client:demo") || id.equals("none"))
			.doesNotContain(system.apiKey, system.limitedApiKey, system.loadApiKey);
	}

	@Test
	void gatewayTimesEveryRoute() {
		List<Sample> routes = find(scrape(system.gateway), "spring_cloud_gateway_requests_seconds_count",
				labels -> labels.keySet()
					.containsAll(Set.of("routeId", "routeUri", "outcome", "status", "httpStatusCode", "httpMethod")));
		assertThat(routes).extracting(sample -> sample.labels().get("routeId"))
			.as("routeId of gateway route metrics")
			.contains("user-service", "order-service");
		assertThat(routes).extracting(sample -> sample.labels().get("routeUri"))
			.contains("lb://user-service", "lb://order-service");
		assertThat(routes).extracting(sample -> sample.labels().get("httpStatusCode")).contains("200", "201");
	}

	// ---- service to service
	// -----------------------------------------------------------------

	@Test
	void servicesTimeTheirCallsToEachOtherPerCalledService() {
		awaitOnEveryInstance(system.userServices, "http_client_requests_seconds_count with client_name=order-service",
				samples -> !find(samples, "http_client_requests_seconds_count",
						labels -> "order-service".equals(labels.get("client_name")) && labels.containsKey("status")
								&& labels.containsKey("outcome") && labels.containsKey("uri"))
					.isEmpty());
		awaitOnEveryInstance(system.orderServices, "http_client_requests_seconds_count with client_name=user-service",
				samples -> !find(samples, "http_client_requests_seconds_count",
						labels -> "user-service".equals(labels.get("client_name")))
					.isEmpty());
		awaitOnEveryInstance(system.userServices, "http_client_requests_seconds_bucket",
				samples -> !find(samples, "http_client_requests_seconds_bucket",
						labels -> "order-service".equals(labels.get("client_name")))
					.isEmpty());
	}

	@Test
	void servicesCountLoadBalancedCallsPerChosenInstance() {
		awaitOnEveryInstance(system.userServices,
				"loadbalancer_requests_success_seconds_count per order-service instance",
				samples -> !find(samples, "loadbalancer_requests_success_seconds_count",
						labels -> "order-service".equalsIgnoreCase(labels.get("serviceId"))
								&& labels.containsKey("serviceInstance_instanceId"))
					.isEmpty());
		awaitOnEveryInstance(system.orderServices,
				"loadbalancer_requests_success_seconds_count per user-service instance",
				samples -> !find(samples, "loadbalancer_requests_success_seconds_count",
						labels -> "user-service".equalsIgnoreCase(labels.get("serviceId")))
					.isEmpty());
	}

	@Test
	void servicesPublishTheirCircuitBreakers() {
		assertCircuitBreakerMetrics(system.userServices, "order-service");
		assertCircuitBreakerMetrics(system.orderServices, "user-service");
	}

	private static void assertCircuitBreakerMetrics(List<AppProcess> callers, String callee) {
		awaitOnEveryInstance(callers, "resilience4j circuit breaker '" + callee + "'", samples -> {
			Predicate<Map<String, String>> named = labels -> callee.equals(labels.get("name"));
			return find(samples, "resilience4j_circuitbreaker_state", named).size() >= 3
					&& !find(samples, "resilience4j_circuitbreaker_state",
							labels -> named.test(labels) && "closed".equals(labels.get("state")))
						.isEmpty()
					&& !find(samples, "resilience4j_circuitbreaker_failure_rate", named).isEmpty()
					&& !find(samples, "resilience4j_circuitbreaker_slow_call_rate", named).isEmpty()
					&& !find(samples, "resilience4j_circuitbreaker_buffered_calls", named).isEmpty()
					&& !find(samples, "resilience4j_circuitbreaker_not_permitted_calls_total", named).isEmpty()
					&& !find(samples, "resilience4j_circuitbreaker_calls_seconds_count",
							labels -> named.test(labels) && "successful".equals(labels.get("kind")))
						.isEmpty();
		});
	}

	// ---- JVM
	// --------------------------------------------------------------------------------

	@Test
	void everyAppPublishesJvmAndProcessMetrics() {
		for (AppProcess app : appsWithEureka()) {
			Set<String> names = ObservabilityConfigTest.sampleNames(rawScrape(app));
			assertThat(names).as("%s JVM and process metrics", app.name())
				.contains("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
						"jvm_gc_pause_seconds_count", "process_cpu_usage", "process_uptime_seconds",
						"logback_events_total");
			assertThat(find(scrape(app), "jvm_memory_used_bytes", labels -> "heap".equals(labels.get("area"))))
				.as("%s heap", app.name())
				.isNotEmpty();
		}
	}

	// ---- the dashboards
	// -----------------------------------------------------------------------

	@Test
	void everyMetricTheDashboardsQueryIsExported() {
		Set<String> exported = new TreeSet<>();
		for (AppProcess app : appsWithEureka()) {
			exported.addAll(ObservabilityConfigTest.sampleNames(rawScrape(app)));
		}
		Map<String, Set<String>> used = ObservabilityConfigTest.dashboardMetricNames();
		System.out.println("Metric names the dashboards query: " + used.keySet());
		assertThat(used).as("metric names in the dashboards").isNotEmpty();

		Map<String, Set<String>> missing = new TreeMap<>();
		used.forEach((metric, dashboards) -> {
			if (!exported.contains(metric) && !PROMETHEUS_METRICS.contains(metric)) {
				missing.put(metric, dashboards);
			}
		});
		assertThat(missing).as("metric names queried by dashboards (-> the dashboards) that no app exports").isEmpty();
	}

	// ---- helpers
	// ----------------------------------------------------------------------------

	record Sample(String name, Map<String, String> labels, String line) {
	}

	private static List<AppProcess> appsWithEureka() {
		List<AppProcess> apps = new ArrayList<>(system.allApps());
		apps.add(system.eureka);
		return apps;
	}

	private static String applicationName(AppProcess app) {
		return (app == system.eureka) ? "eureka-server" : app.name().replaceFirst("-\\d+$", "");
	}

	private static String rawScrape(AppProcess app) {
		return system.get("http://127.0.0.1:" + app.managementPort() + "/actuator/prometheus", "text/plain").body();
	}

	static List<Sample> parse(String scrape) {
		List<Sample> samples = new ArrayList<>();
		for (String line : scrape.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			assertThat(sample.find()).as("sample line: %s", line).isTrue();
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(sample.group(1), labels, line));
		}
		return samples;
	}

	private static List<Sample> scrape(AppProcess app) {
		return parse(rawScrape(app));
	}

	private static List<Sample> find(List<Sample> samples, String name, Predicate<Map<String, String>> labels) {
		return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels())).toList();
	}

	private static Set<String> uris(List<AppProcess> instances) {
		Set<String> uris = new TreeSet<>();
		for (AppProcess app : instances) {
			find(scrape(app), "http_server_requests_seconds_count", labels -> true)
				.forEach(sample -> uris.add(sample.labels().get("uri")));
		}
		return uris;
	}

	/**
	 * Waits until every instance's scrape satisfies the condition, sending another round
	 * of traffic between attempts (an instance restarted by an earlier test registers its
	 * client and circuit breaker meters on its first call only).
	 */
	private static void awaitOnEveryInstance(List<AppProcess> instances, String what,
			Predicate<List<Sample>> condition) {
		Map<String, Boolean> state = new HashMap<>();
		Awaitility.await(what + " on every instance")
			.atMost(Duration.ofSeconds(60))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> {
				for (AppProcess app : instances) {
					state.put(app.name(), condition.test(scrape(app)));
				}
				if (state.containsValue(Boolean.FALSE)) {
					sendTraffic();
				}
				assertThat(state).as(what).doesNotContainValue(Boolean.FALSE);
			});
	}

	/**
	 * @return Eureka instance id → application name, for every registered instance
	 */
	private static Map<String, String> registeredInstanceIds() {
		String body = system.registryGet("/eureka/apps");
		Map<String, String> ids = new HashMap<>();
		for (JsonNode application : JSON.readTree(body).path("applications").path("application")) {
			for (JsonNode instance : application.path("instance")) {
				ids.put(instance.path("instanceId").asString(), application.path("name").asString());
			}
		}
		return ids;
	}

}
