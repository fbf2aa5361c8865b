package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared steps of the fault-injection tests: test users, the figures each test prints
 * (also appended to {@code fault-figures.txt} in the system-test work directory), and the
 * check that every acknowledged order is stored exactly once.
 */
final class FaultFigures {

	private FaultFigures() {
	}

	/**
	 * @return ids of {@code count} new users
	 */
	static List<String> users(GatewayClient gateway, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(Fixtures.createUser(gateway).path("id").asString());
		}
		return ids;
	}

	/**
	 * @param nanos latencies in ns, in any order
	 * @param quantile from 0 to 1, e.g. 0.99
	 * @return that quantile in ms (nearest rank), 0 if there are none
	 */
	static double quantileMillis(List<Long> nanos, double quantile) {
		if (nanos.isEmpty()) {
			return 0;
		}
		List<Long> sorted = nanos.stream().sorted().toList();
		int index = (int) Math.ceil(quantile * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1_000_000.0;
	}

	/**
	 * Prints one line {@code FIGURE <scenario> key=value ...} and appends it to the
	 * figures file.
	 */
	static void report(String scenario, Map<String, ?> figures) {
		String line = "FIGURE " + scenario + " "
				+ figures.entrySet()
					.stream()
					.map(entry -> entry.getKey() + "=" + entry.getValue())
					.collect(Collectors.joining(" "));
		System.out.println(line);
		Path file = Path.of(System.getProperty("system-tests.work-dir", "target/system"), "fault-figures.txt");
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, Instant.now() + " db=" + LocalSystem.database() + " " + line + "\n",
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads every user's orders back and checks each order the load placed: an
	 * acknowledged one is stored exactly once, with the acknowledged id; one that was
	 * never acknowledged is stored at most once.
	 * @return figures: acked, stored, distinct (order ids), unacked
	 */
	static Map<String, Object> verifyOrders(GatewayClient gateway, Map<String, LoadRun.OrderOutcome> orders) {
		Map<String, List<String>> storedIdsBySku = new HashMap<>();
		orders.values().stream().map(LoadRun.OrderOutcome::userId).distinct().forEach(userId -> {
			for (JsonNode order : Fixtures.ordersOf(gateway, userId)) {
				storedIdsBySku.computeIfAbsent(order.path("sku").asString(), sku -> new ArrayList<>())
					.add(order.path("id").asString());
			}
		});
		long acked = 0;
		long stored = 0;
		for (LoadRun.OrderOutcome outcome : orders.values()) {
			List<String> ids = storedIdsBySku.getOrDefault(outcome.sku(), List.of());
			stored += ids.size();
			if (outcome.orderId() != null) {
				acked++;
				assertThat(ids).as("orders stored for acknowledged key %s", outcome.key())
					.containsExactly(outcome.orderId());
			}
			else {
				assertThat(ids).as("orders stored for unacknowledged key %s", outcome.key())
					.hasSizeLessThanOrEqualTo(1);
			}
		}
		long distinct = storedIdsBySku.entrySet()
			.stream()
			.filter(entry -> entry.getKey().startsWith("FAULT-"))
			.flatMap(entry -> entry.getValue().stream())
			.distinct()
			.count();
		return Map.of("ordersAcked", acked, "ordersStored", stored, "ordersDistinct", distinct, "ordersUnacked",
				orders.size() - acked);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
