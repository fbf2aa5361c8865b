package dev.cloudref.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static dev.cloudref.systemtest.Fixtures.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distributed tracing, checked in a real Zipkin server: one request through the gateway
 * is one trace, whose spans chain gateway → service → service → database, and whose id
 * the gateway returns in {@code X-Trace-Id}.
 */
class TracingIT {

	static final String TRACE_ID_HEADER = "X-Trace-Id";

	static final String TRACE_ID = "[0-9a-f]{32}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static LocalSystem system;

	private static GatewayClient gateway;

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
	}

	@Test
	void tracesOrderPlacementFromGatewayThroughOrderServiceToUserServiceAndDatabases() {
		String userId = createUser(gateway).path("id").asString();

		ApiResponse placed = placeOrder(gateway, userId, "TRACE-1", 1);

		assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
		String traceId = traceId(placed);
		awaitTrace(traceId, trace -> {
			Span root = trace.singleRoot();
			assertThat(root.service()).isEqualTo("api-gateway");
			assertThat(root.kind()).isEqualTo("SERVER");

			Span orderServer = trace.one("order-service", "SERVER");
			assertThat(trace.parentOf(orderServer)).as("parent of %s", orderServer)
				.hasValueSatisfying(parent -> assertThat(parent.service()).isEqualTo("api-gateway"));

			Span userServer = trace.one("user-service", "SERVER");
			assertThat(trace.parentOf(userServer)).as("parent of %s", userServer).hasValueSatisfying(parent -> {
				assertThat(parent.service()).isEqualTo("order-service");
				assertThat(parent.kind()).isEqualTo("CLIENT");
			});
			assertThat(trace.ancestors(userServer)).as("ancestors of %s", userServer).contains(orderServer, root);

			assertThat(trace.databaseSpans("order-service")).as("order-service database spans")
				.anySatisfy(span -> assertThat(span.query()).containsPattern("(?i)insert\\s+into\\s+\"?orders"));
			assertThat(trace.databaseSpans("user-service")).as("user-service database spans")
				.anySatisfy(span -> assertThat(span.query()).containsPattern("(?i)select .* from \"?users"));
		});
	}

	/**
	 * The order's event goes on in the request's trace: the outbox relay publishes it in
	 * that trace (order-service's PRODUCER span), and user-service's consumer applies it
	 * in a CONSUMER span under it, with its database writes below (docs/events.md).
	 */
	@Test
	void tracesAnOrdersEventFromTheRequestThroughTheBrokerToTheConsumer() {
		String userId = createUser(gateway).path("id").asString();

		ApiResponse placed = placeOrder(gateway, userId, "TRACE-EVENT", 1);

		assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
		String traceId = traceId(placed);
		awaitTrace(traceId, trace -> {
			Span root = trace.singleRoot();
			assertThat(root.service()).isEqualTo("api-gateway");
			Span orderServer = trace.one("order-service", "SERVER");
			Span producer = trace.one("order-service", "PRODUCER");
			Span consumer = trace.one("user-service", "CONSUMER");
			assertThat(trace.parentOf(consumer)).as("parent of %s", consumer).contains(producer);
			assertThat(trace.ancestors(producer)).as("ancestors of %s", producer).contains(orderServer, root);
			assertThat(trace.databaseSpans("user-service")).as("user-service database spans")
				.anySatisfy(
						span -> assertThat(span.query()).containsPattern("(?i)insert\\s+into\\s+\"?processed_events"));
		});
	}

	@Test
	void tracesUserWithOrdersFromGatewayThroughUserServiceToOrderService() {
		String userId = createUser(gateway).path("id").asString();
		assertThat(placeOrder(gateway, userId, "TRACE-2", 2).status()).isEqualTo(201);

		ApiResponse userWithOrders = gateway.get("/api/users/" + userId + "/orders");

		assertThat(userWithOrders.status()).as(userWithOrders.toString()).isEqualTo(200);
		String traceId = traceId(userWithOrders);
		awaitTrace(traceId, trace -> {
			Span root = trace.singleRoot();
			assertThat(root.service()).isEqualTo("api-gateway");
			assertThat(root.kind()).isEqualTo("SERVER");

			Span userServer = trace.one("user-service", "SERVER");
			assertThat(trace.parentOf(userServer)).as("parent of %s", userServer)
				.hasValueSatisfying(parent -> assertThat(parent.service()).isEqualTo("api-gateway"));

			Span orderServer = trace.one("order-service", "SERVER");
			assertThat(trace.parentOf(orderServer)).as("parent of %s", orderServer).hasValueSatisfying(parent -> {
				assertThat(parent.service()).isEqualTo("user-service");
				assertThat(parent.kind()).isEqualTo("CLIENT");
			});
			assertThat(trace.ancestors(orderServer)).as("ancestors of %s", orderServer).contains(userServer, root);
			assertThat(trace.databaseSpans("order-service")).as("order-service database spans").isNotEmpty();
			assertThat(trace.databaseSpans("user-service")).as("user-service database spans").isNotEmpty();
		});
	}

	@Test
	void returnsTraceIdOnRefusedRequestsToo() {
		ApiResponse refused = gateway.anonymous("GET", "/api/users");

		assertProblem(refused, 401);
		String traceId = traceId(refused);
		assertThat(traceId).isNotEqualTo(traceId(gateway.anonymous("GET", "/api/users")));
		awaitTrace(traceId, trace -> {
			Span root = trace.singleRoot();
			assertThat(root.service()).isEqualTo("api-gateway");
			assertThat(root.kind()).isEqualTo("SERVER");
			assertThat(trace.spans()).as("no span beyond the gateway")
				.allSatisfy(span -> assertThat(span.service()).isEqualTo("api-gateway"));
		});
	}

	static String traceId(ApiResponse response) {
		String traceId = response.header(TRACE_ID_HEADER);
		assertThat(traceId).as(TRACE_ID_HEADER + " of " + response).isNotNull().matches(TRACE_ID);
		return traceId;
	}

	/**
	 * Polls Zipkin until the trace satisfies the assertions (the apps report spans
	 * asynchronously, each span when it ends, in batches).
	 */
	private static void awaitTrace(String traceId, Consumer<Trace> assertions) {
		Awaitility.await("trace " + traceId + " in Zipkin")
			.atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ofMillis(500))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				Trace trace = fetchTrace(traceId);
				assertThat(trace.spans()).as("spans of trace %s", traceId)
					.allSatisfy(span -> assertThat(span.traceId()).isEqualTo(traceId));
				try {
					assertions.accept(trace);
				}
				catch (AssertionError ex) {
					throw new AssertionError(ex.getMessage() + "\nTrace " + traceId + ":\n" + trace, ex);
				}
				System.out.printf("Trace %s in Zipkin:%n%s", traceId, trace);
			});
	}

	private static Trace fetchTrace(String traceId) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(system.zipkinUrl("/api/v2/trace/" + traceId)))
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("Zipkin GET /api/v2/trace/%s: %s", traceId, response.body())
			.isEqualTo(200);
		List<Span> spans = new ArrayList<>();
		for (JsonNode span : JSON.readTree(response.body())) {
			spans.add(Span.of(span));
		}
		return new Trace(spans);
	}

	/** One span as Zipkin's v2 API returns it. */
	record Span(String traceId, String id, String parentId, String service, String kind, String name,
			Map<String, String> tags) {

		static Span of(JsonNode json) {
			Map<String, String> tags = json.path("tags")
				.properties()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().asString()));
			return new Span(json.path("traceId").asString(), json.path("id").asString(),
					json.path("parentId").asString(null), json.path("localEndpoint").path("serviceName").asString(),
					json.path("kind").asString("LOCAL"), json.path("name").asString(), tags);
		}

		/**
		 * A database call, as R2DBC's observation reports it: a CLIENT span named
		 * {@code query} with {@code r2dbc.*} tags, the statement in
		 * {@code r2dbc.query[0]}.
		 */
		boolean isDatabase() {
			return kind.equals("CLIENT")
					&& tags.keySet().stream().anyMatch(tag -> tag.startsWith("r2dbc.") || tag.startsWith("db."));
		}

		/**
		 * @return the statement of a database span, or an empty string
		 */
		String query() {
			return tags.entrySet()
				.stream()
				.filter(tag -> tag.getKey().startsWith("r2dbc.query") || tag.getKey().equals("db.statement"))
				.map(Map.Entry::getValue)
				.collect(Collectors.joining("; "));
		}

		@Override
		public String toString() {
			return service + " " + kind + " \"" + name + "\" id=" + id + " parent=" + parentId;
		}

	}

	record Trace(List<Span> spans) {

		Span singleRoot() {
			List<Span> roots = spans.stream().filter(span -> span.parentId() == null).toList();
			assertThat(roots).as("root spans").hasSize(1);
			return roots.get(0);
		}

		Span one(String service, String kind) {
			List<Span> matching = spans.stream()
				.filter(span -> span.service().equals(service) && span.kind().equals(kind))
				.toList();
			assertThat(matching).as("%s spans of %s", kind, service).hasSize(1);
			return matching.get(0);
		}

		Optional<Span> parentOf(Span span) {
			return spans.stream().filter(candidate -> candidate.id().equals(span.parentId())).findFirst();
		}

		List<Span> ancestors(Span span) {
			List<Span> ancestors = new ArrayList<>();
			Optional<Span> parent = parentOf(span);
			while (parent.isPresent() && ancestors.size() < spans.size()) {
				ancestors.add(parent.get());
				parent = parentOf(parent.get());
			}
			return ancestors;
		}

		List<Span> databaseSpans(String service) {
			return spans.stream().filter(span -> span.service().equals(service) && span.isDatabase()).toList();
		}

		/** The spans as a tree, for failure messages. */
		@Override
		public String toString() {
			Map<String, List<Span>> children = spans.stream()
				.filter(span -> span.parentId() != null)
				.collect(Collectors.groupingBy(Span::parentId));
			StringBuilder tree = new StringBuilder();
			Function<String, Boolean> known = id -> spans.stream().anyMatch(span -> span.id().equals(id));
			spans.stream()
				.filter(span -> span.parentId() == null || !known.apply(span.parentId()))
				.forEach(span -> print(tree, span, children, 0));
			return tree.toString();
		}

		private static void print(StringBuilder tree, Span span, Map<String, List<Span>> children, int depth) {
			tree.append("  ".repeat(depth + 1)).append(span).append(' ').append(span.tags()).append('\n');
			for (Span child : children.getOrDefault(span.id(), List.of())) {
				print(tree, child, children, depth + 1);
			}
		}

	}

}
