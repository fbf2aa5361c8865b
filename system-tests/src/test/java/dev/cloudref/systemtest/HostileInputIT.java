package dev.cloudref.systemtest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.uniqueEmail;
import static dev.cloudref.systemtest.HostileClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile clients at the gateway's public port: oversized and chunked bodies, huge
 * headers and request lines, malformed requests, slow clients, spoofed forwarding headers
 * and abusive JSON. Every answer is a 4xx problem detail (or the connection is closed),
 * never a 5xx, and nothing is half-written.
 */
class HostileInputIT {

	private static final int MAX_BODY = 64 * 1024;

	private static GatewayClient gateway;

	private static HostileClient hostile;

	@BeforeAll
	static void system() {
		LocalSystem system = LocalSystem.get();
		gateway = system.gatewayClient();
		hostile = new HostileClient(system);
	}

	@Test
	void cutsAChunkedBodyOverTheLimitAndStoresNothing() throws Exception {
		long usersBefore = totalUsers();
		try (HostileClient.Raw connection = hostile.openRaw()) {
			connection.send("POST /api/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + hostile.apiKey()
					+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
			String chunk = "a".repeat(8192);
			connection.send(chunkOf("{\"email\":\"" + uniqueEmail() + "\",\"name\":\""));
			for (int i = 0; i < 16; i++) {
				connection.send(chunkOf(chunk));
			}
			connection.send(chunkOf("\"}") + "0\r\n\r\n");

			assertProblem(connection.readResponse(Duration.ofSeconds(10)), 413);
		}
		assertThat(totalUsers()).isEqualTo(usersBefore);
	}

	@Test
	void cutsAStreamedHttp2BodyWithoutContentLengthOverTheLimit() {
		long usersBefore = totalUsers();
		byte[] body = ("{\"email\":\"" + uniqueEmail() + "\",\"name\":\"" + "a".repeat(100_000) + "\"}")
			.getBytes(StandardCharsets.UTF_8);

		ApiResponse response = hostile.postStream("/api/users", new ByteArrayInputStream(body));

		assertProblem(response, 413);
		assertThat(response.json().path("detail").asString()).isEqualTo("The request body is larger than 65536 bytes.");
		assertThat(totalUsers()).isEqualTo(usersBefore);
	}

	@Test
	void refusesAContentLengthOverTheLimitAndPassesABodyJustUnderIt() {
		String padding = "\",\"padding\":\"";
		String under = "{\"name\":\"Pad\",\"email\":\"" + uniqueEmail() + padding;
		under = under + "p".repeat(MAX_BODY - under.length() - 2) + "\"}";
		assertThat(under.length()).isEqualTo(MAX_BODY);

		assertThat(gateway.post("/api/users", under).status()).as("a body of exactly 64 KiB").isEqualTo(201);
		assertProblem(gateway.post("/api/users", under.replace("\"}", "p\"}")), 413);
	}

	@Test
	void answersHugeHeaderFieldsWith431Problem() throws Exception {
		assertProblem(gateway.get("/api/users?size=1", "X-Big", "b".repeat(9000)), 431);
		// HTTP/2 (GatewayClient) and HTTP/1.1 alike: the same problem for a 70 KB field.
		assertProblem(gateway.get("/api/users?size=1", "X-Big", "b".repeat(70_000)), 431);
		try (HostileClient.Raw connection = hostile.openRaw()) {
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n");
			assertProblem(connection.readResponse(Duration.ofSeconds(10)), 431);
		}
		try (HostileClient.Raw connection = hostile.openRaw()) {
			// Above Netty's own cap (128 KiB): Netty refuses it, the gateway adds the
			// problem.
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(140_000) + "\r\n\r\n");
			assertProblem(connection.readResponse(Duration.ofSeconds(10)), 431);
		}
	}

	@Test
	void answersAHugeRequestTargetWith414Problem() throws Exception {
		assertProblem(gateway.get("/api/users?size=1&q=" + "q".repeat(5000)), 414);
		try (HostileClient.Raw connection = hostile.openRaw()) {
			connection.send("GET /api/users?q=" + "q".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertProblem(connection.readResponse(Duration.ofSeconds(10)), 414);
		}
	}

	@Test
	void answersMalformedRequestsWith400Problem() throws Exception {
		for (String request : new String[] { "GET /api/nope/{x} HTTP/1.1\r\nHost: localhost\r\n\r\n",
				"GET /api/users|x HTTP/1.1\r\nHost: localhost\r\n\r\n",
				"GET /api/users/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
				"GET /api/users HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n", "NOT HTTP AT ALL\r\n\r\n" }) {
			try (HostileClient.Raw connection = hostile.openRaw()) {
				connection.send(request);
				assertProblem(connection.readResponse(Duration.ofSeconds(10)), 400);
			}
		}
	}

	@Test
	void closesASlowlorisConnectionWithinTheHeaderTimeout() throws Exception {
		long start = System.nanoTime();
		try (HostileClient.Raw connection = hostile.openRaw()) {
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\n");
			boolean closed = false;
			for (int i = 0; i < 40 && !closed; i++) {
				try {
					connection.send("X-Slow-" + i + ": x\r\n");
					closed = connection.closedWithin(Duration.ofMillis(500));
				}
				catch (IOException ex) {
					closed = true;
				}
			}
			long millis = (System.nanoTime() - start) / 1_000_000;
			System.out.printf("Slowloris connection closed by the gateway %d ms after it was opened%n", millis);
			assertThat(closed).as("closed by the gateway").isTrue();
			assertThat(millis).as("the header timeout is 10 s").isBetween(9_500L, 14_000L);
		}
	}

	@Test
	void keepsAnIdleKeepAliveConnectionUsableBeyondTheHeaderTimeout() throws Exception {
		try (HostileClient.Raw connection = hostile.openRaw()) {
			String request = "GET /api/users?size=1 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + hostile.apiKey()
					+ "\r\n\r\n";
			connection.send(request);
			assertThat(connection.readResponse(Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");

			Thread.sleep(12_000);
			connection.send(request);
			assertThat(connection.readResponse(Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
		}
	}

	@Test
	void ignoresSpoofedForwardingHeaders() {
		ApiResponse plain = gateway.get("/api/users/" + UUID.randomUUID());
		ApiResponse spoofed = gateway.get("/api/users/" + UUID.randomUUID(), "X-Forwarded-For", "10.0.0.1",
				"X-Forwarded-Host", "internal.example", "X-Forwarded-Prefix", "/admin", "Forwarded",
				"for=10.0.0.1;host=internal.example;proto=http");

		assertProblem(spoofed, 404);
		assertThat(spoofed.json().path("instance").asString()).startsWith("/users/");
		assertThat(spoofed.body()).doesNotContain("internal.example", "/admin");
		assertThat(spoofed.json().path("title")).isEqualTo(plain.json().path("title"));

		ApiResponse created = gateway.post("/api/users", "{\"name\":\"Fwd\",\"email\":\"" + uniqueEmail() + "\"}",
				"X-Forwarded-Host", "internal.example", "X-Forwarded-Proto", "http", "X-Forwarded-Prefix", "/admin");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Location")).as("built from the request the service saw").startsWith("/api/users/");
	}

	@Test
	void answersAbusiveJsonWithProblemsAndStoresNothing() {
		long usersBefore = totalUsers();
		String userId = Fixtures.createUser(gateway).path("id").asString();
		usersBefore++;
		String order = "{\"userId\":\"" + userId + "\",\"sku\":\"A-1\",\"quantity\":%s}";

		assertProblem(gateway.post("/api/orders", order.formatted("1e400")), 400);
		assertProblem(gateway.post("/api/orders", order.formatted("99999999999999999999")), 400);
		assertProblem(gateway.post("/api/orders", order.formatted("-1")), 400);
		assertProblem(gateway.post("/api/orders", order.formatted("\"NaN\"")), 400);
		assertProblem(gateway.post("/api/users", "[".repeat(10_000) + "]".repeat(10_000)), 400);
		assertProblem(gateway.post("/api/users", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)), 400);
		assertProblem(gateway.post("/api/users", "{\"name\":\"" + "n".repeat(60_000) + "\",\"email\":\"a@b.c\"}"), 400);
		assertProblem(gateway.post("/api/users", "{\"name\":\"A\\u0000\",\"email\":\"" + uniqueEmail() + "\"}"), 400);
		assertProblem(gateway.post("/api/users", ""), 400);
		assertProblem(gateway.post("/api/users", "null"), 400);
		ApiResponse invalidUtf8 = hostile.send("POST", "/api/users",
				new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}' },
				"Content-Type", "application/json");
		assertProblem(invalidUtf8, 400);
		assertProblem(
				hostile.send("POST", "/api/users", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain"),
				415);
		assertProblem(hostile.send("POST", "/api/users", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", ";;;/"),
				415);
		assertProblem(hostile.send("GET", "/api/users/" + UUID.randomUUID(), null, "Accept", "foo"), 404);
		assertThat(totalUsers()).isEqualTo(usersBefore);
		assertThat(gateway.get("/api/orders?userId=" + userId).json().path("totalElements").asInt()).isZero();

		String odd = "Robert'); DROP TABLE users;-- <script>alert(1)</script> \" \\ \u202e \uD83D\uDE00";
		ApiResponse created = gateway.post("/api/users", "{\"name\":" + quote(odd) + ",\"email\":\"" + uniqueEmail()
				+ "\",\"role\":\"admin\",\"id\":\"" + UUID.randomUUID() + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.contentType()).startsWith("application/json");
		assertThat(gateway.get(created.header("Location")).json().path("name").asString()).isEqualTo(odd);
	}

	static long totalUsers() {
		return totalUsers(gateway);
	}

	/**
	 * @return the number of stored users, as {@code GET /api/users} reports it (waits out
	 * a 429)
	 */
	static long totalUsers(GatewayClient gateway) {
		for (int attempt = 0;; attempt++) {
			ApiResponse page = gateway.get("/api/users?size=1");
			if (page.status() == 200) {
				return page.json().path("totalElements").asLong();
			}
			assertThat(page.status()).as(page.toString()).isEqualTo(429);
			assertThat(attempt).isLessThan(10);
			sleep(Duration.ofSeconds(1));
		}
	}

	private static String quote(String text) {
		return JsonMapper.builder().build().writeValueAsString(text);
	}

	private static String chunkOf(String data) {
		return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
