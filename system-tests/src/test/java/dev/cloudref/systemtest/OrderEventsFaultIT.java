package dev.cloudref.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import tools.jackson.databind.JsonNode;

import dev.cloudref.launcher.AppProcess;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15's fault tests of the order events (docs/events.md), on the real RabbitMQ of
 * this machine (127.0.0.1:5672): under a steady stream of orders through the gateway, the
 * broker is stopped for 20 s, or a consumer instance is killed with SIGKILL; afterwards
 * every user's order statistics (what user-service applied from the events) must equal
 * the orders order-service stored: no event lost, none applied twice. A poison message
 * goes to the dead-letter queue with its reason while the stream goes on.
 */
@Order(7)
class OrderEventsFaultIT {

	/** How long the events may take to catch up once the fault is over. */
	static final Duration CONVERGENCE = Duration.ofSeconds(90);

	@Test
	void ordersPlacedWhileTheBrokerIsStoppedFor20sAreAllAppliedOnceAfterItReturns() throws Exception {
		LocalSystem system = LocalSystem.get();
		assertThat(system.rabbitMq)
			.as("this test stops and starts the RabbitMQ at 127.0.0.1:5672 with rabbitmqctl "
					+ "(.ci/run installs and starts it); the embedded broker keeps messages in memory only")
			.isTrue();
		GatewayClient gateway = system.gatewayClient();
		List<String> users = FaultFigures.users(gateway, 4);
		LoadRun load = LoadRun.start(gateway, users, 4);
		FaultFigures.sleep(3000);

		rabbitmqctl("stop_app");
		long stoppedAt = System.nanoTime();
		FaultFigures.sleep(20_000);
		long ordersDuringOutage = storedOrders(gateway, users);
		rabbitmqctl("start_app");
		long startedAt = System.nanoTime();
		FaultFigures.sleep(5000);
		load.stop();

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("brokerStoppedMs", (startedAt - stoppedAt) / 1_000_000);
		figures.put("ordersStoredBeforeBrokerReturned", ordersDuringOutage);
		figures.put("allAppliedMsAfterBrokerReturned", awaitStatisticsMatchOrders(gateway, users, startedAt));
		reportAndVerify("broker-stopped", system, load, users, figures);
	}

	@Test
	void eventsInFlightAtAConsumerKilledWithSigkillAreRedeliveredAndAppliedOnce() throws Exception {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		List<String> users = FaultFigures.users(gateway, 4);
		LoadRun load = LoadRun.start(gateway, users, 4);
		FaultFigures.sleep(4000);

		AppProcess victim = system.userServices.get(0);
		victim.kill();
		long killedAt = System.nanoTime();
		FaultFigures.sleep(6000);
		load.stop();
		system.restart(List.of(victim));

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("allAppliedMsAfterKill", awaitStatisticsMatchOrders(gateway, users, killedAt));
		reportAndVerify("consumer-killed", system, load, users, figures);
	}

	@Test
	void aPoisonMessageIsDeadLetteredWithItsReasonAndTheStreamGoesOn() throws Exception {
		LocalSystem system = LocalSystem.get();
		GatewayClient gateway = system.gatewayClient();
		String user = Fixtures.createUser(gateway).path("id").asString();
		String notJson = "poison-" + UUID.randomUUID();
		String otherVersion = "poison-" + UUID.randomUUID();
		try (Connection connection = broker(system).newConnection(); Channel channel = connection.createChannel()) {
			publish(channel, system, notJson, "{\"eventId\":");
			publish(channel, system, otherVersion, """
					{"eventId":"%s","schemaVersion":99,"orderId":"%s","userId":"%s","sku":"X","quantity":1,
					"createdAt":"2026-01-01T00:00:00Z"}""".formatted(UUID.randomUUID(), UUID.randomUUID(), user));
			ApiResponse placed = Fixtures.placeOrder(gateway, user, "AFTER-POISON", 1);
			assertThat(placed.status()).as(placed.toString()).isEqualTo(201);

			await("the order after the poison messages is applied").atMost(CONVERGENCE)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> statistics(gateway, user).path("orderCount").asLong() == 1);
			Map<String, String> reasons = deadLettered(channel, system, List.of(notJson, otherVersion));

			FaultFigures.report("poison-message", Map.of("deadLettered", reasons.size(), "reasons", reasons.values()));
			assertThat(reasons).containsOnlyKeys(notJson, otherVersion);
			assertThat(reasons.get(otherVersion)).contains("schemaVersion 99 is not 1");
			assertThat(reasons.get(notJson)).isNotBlank();
			assertThat(statistics(gateway, user).path("lastOrderId").asString())
				.isEqualTo(placed.json().path("id").asString());
		}
	}

	/**
	 * Reports the scenario's figures with the load's and the comparison's, then checks
	 * that no request failed and every order was applied exactly once.
	 */
	private static void reportAndVerify(String scenario, LocalSystem system, LoadRun load, List<String> users,
			Map<String, Object> scenarioFigures) {
		GatewayClient gateway = system.gatewayClient();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("load", load.summary());
		figures.putAll(scenarioFigures);
		figures.putAll(comparison(gateway, users));
		figures.putAll(consumerCounters(system));
		FaultFigures.report(scenario, figures);

		assertThat(load.failedAttempts()).as("failed requests (%s)", scenario).isEmpty();
		assertStatisticsEqualOrders(gateway, users);
	}

	/** Waits until every user's statistics count their stored orders. */
	private static long awaitStatisticsMatchOrders(GatewayClient gateway, List<String> users, long sinceNanos) {
		await("every order's event applied").atMost(CONVERGENCE)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> users.stream()
				.allMatch(user -> statistics(gateway, user).path("orderCount")
					.asLong() >= Fixtures.ordersOf(gateway, user).size()));
		return (System.nanoTime() - sinceNanos) / 1_000_000;
	}

	/** Exactly once: counted as many times as stored, the latest order the latest. */
	private static void assertStatisticsEqualOrders(GatewayClient gateway, List<String> users) {
		// Late duplicates would show up after the counts first matched.
		FaultFigures.sleep(2000);
		for (String user : users) {
			List<JsonNode> orders = Fixtures.ordersOf(gateway, user);
			JsonNode stats = statistics(gateway, user);
			assertThat(stats.path("orderCount").asLong()).as("orders counted for user %s", user)
				.isEqualTo(orders.size());
			assertThat(stats.path("lastOrderAt").asString()).as("latest order of user %s", user)
				.isEqualTo(orders.get(orders.size() - 1).path("createdAt").asString());
		}
	}

	private static Map<String, Object> comparison(GatewayClient gateway, List<String> users) {
		long stored = storedOrders(gateway, users);
		long counted = users.stream().mapToLong(user -> statistics(gateway, user).path("orderCount").asLong()).sum();
		return Map.of("ordersStored", stored, "ordersCounted", counted, "lost", Math.max(0, stored - counted),
				"appliedTwice", Math.max(0, counted - stored));
	}

	private static long storedOrders(GatewayClient gateway, List<String> users) {
		return users.stream().mapToLong(user -> Fixtures.ordersOf(gateway, user).size()).sum();
	}

	private static JsonNode statistics(GatewayClient gateway, String user) {
		ApiResponse stats = gateway.get("/api/users/" + user + "/stats");
		assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
		return stats.json();
	}

	/** Events applied and duplicates ignored, summed over the running user-services. */
	private static Map<String, Object> consumerCounters(LocalSystem system) {
		double applied = 0;
		double duplicates = 0;
		for (AppProcess instance : system.userServices) {
			String metrics = system.prometheus(instance);
			applied += sum(metrics, "cloudref_events_consumed_total{", "outcome=\"applied\"");
			duplicates += sum(metrics, "cloudref_events_consumed_total{", "outcome=\"duplicate\"");
		}
		return Map.of("appliedByRunningInstances", (long) applied, "duplicatesIgnored", (long) duplicates);
	}

	/** The sum of a metric's samples whose labels contain {@code label}. */
	private static double sum(String metrics, String prefix, String label) {
		return metrics.lines()
			.filter(line -> line.startsWith(prefix) && line.contains(label))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private static void publish(Channel channel, LocalSystem system, String messageId, String body) throws IOException {
		channel.basicPublish(system.orderEventsExchange, "order.placed",
				new AMQP.BasicProperties.Builder().contentType("application/json")
					.messageId(messageId)
					.type("OrderPlaced")
					.deliveryMode(2)
					.build(),
				body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Takes the dead-letter queue's messages until those with the given ids are found.
	 * @return message id to its {@code x-exception-message}
	 */
	private static Map<String, String> deadLettered(Channel channel, LocalSystem system, List<String> messageIds)
			throws IOException {
		Map<String, String> found = new LinkedHashMap<>();
		long deadline = System.nanoTime() + CONVERGENCE.toNanos();
		while (found.size() < messageIds.size() && System.nanoTime() < deadline) {
			GetResponse message = channel.basicGet(system.orderStatsDeadLetterQueue, true);
			if (message == null) {
				FaultFigures.sleep(250);
				continue;
			}
			String id = message.getProps().getMessageId();
			if (messageIds.contains(id)) {
				Object reason = message.getProps().getHeaders().get("x-exception-message");
				found.put(id, String.valueOf(reason));
			}
		}
		return found;
	}

	private static ConnectionFactory broker(LocalSystem system) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(system.brokerPort());
		return factory;
	}

	/**
	 * Stops or starts RabbitMQ's application on this machine's node (the Erlang node
	 * stays up, durable queues and persistent messages survive).
	 */
	private static void rabbitmqctl(String command) throws IOException, InterruptedException, TimeoutException {
		Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new TimeoutException("rabbitmqctl " + command + " did not finish in 60 s");
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as("rabbitmqctl %s: %s", command, output).isZero();
	}

}
