package dev.cloudref.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.bigIntegers;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Property-based fuzzing of the public API through the gateway (QuickTheories, which also
 * shrinks a failing example to a small one and prints its seed): generated bodies, paths,
 * query strings and headers. For every request: no 5xx (except a {@code 503} with
 * {@code Retry-After}, the documented answer of an unavailable dependency), every 4xx is
 * an {@code application/problem+json} problem with its status, and nothing is
 * half-written (a refused POST stores nothing, an accepted one exactly one row). Tries
 * are bounded so that the suite stays fast.
 */
class HostileInputPropertiesIT {

	private static final int TRIES = 200;

	/**
	 * The same generated inputs on every run, so a build is reproducible; explore others
	 * with {@code -Dsystem-tests.fuzz-seed=<number>} (a failure prints its smallest
	 * falsifying example).
	 */
	private static final long SEED = Long.getLong("system-tests.fuzz-seed", 20261122L);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Header names the JDK's HTTP client refuses to set, those HTTP/2 forbids (RFC 9113
	 * §8.2.2), and the API key (which must stay valid).
	 */
	private static final Set<String> UNSENDABLE_HEADERS = Set.of("connection", "content-length", "expect", "host",
			"upgrade", "date", "from", "origin", "referer", "via", "warning", "keep-alive", "proxy-connection",
			"transfer-encoding", "te", "x-api-key");

	private static GatewayClient gateway;

	private static HostileClient hostile;

	private static String userId;

	@BeforeAll
	static void system() {
		LocalSystem system = LocalSystem.get();
		gateway = system.gatewayClient();
		hostile = new HostileClient(system);
		userId = Fixtures.createUser(gateway).path("id").asString();
	}

	@Test
	void createsAUserOrRefusesWithAProblemAndStoresNothing() {
		properties().forAll(userBodies()).checkAssert(body -> {
			long before = HostileInputIT.totalUsers(gateway);

			ApiResponse response = hostile.send("POST", "/api/users", body, "Content-Type", "application/json");

			assertNoServerErrorAndProblemFor4xx(response);
			long created = (response.status() == 201) ? 1 : 0;
			assertThat(HostileInputIT.totalUsers(gateway)).as(response.toString()).isEqualTo(before + created);
		});
	}

	@Test
	void placesAnOrderOrRefusesWithAProblemAndStoresNothing() {
		properties().forAll(orderBodies()).checkAssert(body -> {
			int before = ordersOfUser();

			ApiResponse response = gateway.post("/api/orders", body);

			assertNoServerErrorAndProblemFor4xx(response);
			int created = (response.status() == 201) ? 1 : 0;
			assertThat(ordersOfUser()).as(response.toString()).isEqualTo(before + created);
		});
	}

	@Test
	void answersAnyPathAndQueryWithoutServerError() {
		properties().forAll(pathsAndQueries())
			.checkAssert(pathAndQuery -> assertNoServerErrorAndProblemFor4xx(hostile.send("GET", pathAndQuery, null)));
	}

	@Test
	void answersAnyHeadersWithoutServerError() {
		properties().forAll(headers(), Generate.pick(List.of("GET", "POST"))).checkAssert((headers, request) -> {
			String[] nameValues = headers.toArray(String[]::new);
			ApiResponse response = request.equals("GET") ? hostile.send("GET", "/api/users?size=1", null, nameValues)
					: hostile.send("POST", "/api/orders", orderBody("A-1", "1").getBytes(StandardCharsets.UTF_8),
							withContentType(nameValues));
			assertNoServerErrorAndProblemFor4xx(response);
		});
	}

	/**
	 * The API key filter and the routes must judge a path alike: no spelling of the
	 * {@code /api} prefix (percent-encoded letters, matrix parameters, case, {@code //},
	 * dot segments) may reach a service without a key. Every form is sent without a key;
	 * none may be answered 2xx, and the gateway's count of routed requests must not move.
	 */
	@Test
	void noSpellingOfTheApiPrefixIsRoutedWithoutAKey() throws InterruptedException {
		List<String> leads = List.of("", "/", "/.", "/x/..", "/%2e");
		List<String> prefixes = List.of("api", "%61pi", "a%70i", "ap%69", "%61%70%69", "%41PI", "API", "Api", "api;x",
				"api;x=1", "%61pi;v=1;w");
		List<String> rests = List.of("users", "users/" + userId, "orders?userId=" + userId, "us%65rs", "users;p=1");
		// The count moves for a request with a key, so an unchanged count means
		// something.
		long beforeKeyed = routedRequests();
		assertThat(hostile.send("GET", "/%61pi/users?size=1", null).status()).isLessThan(500);
		Thread.sleep(1000);
		assertThat(routedRequests()).as("routed count after one request with a key").isEqualTo(beforeKeyed + 1);

		long routedBefore = routedRequests();
		int sent = 0;
		for (String lead : leads) {
			for (String prefix : prefixes) {
				for (String rest : rests) {
					String path = lead + "/" + prefix + "/" + rest;
					ApiResponse response = hostile.sendWithoutKey("GET", path);
					assertThat(response.status()).as(response.toString()).isIn(400, 401, 404);
					assertNoServerErrorAndProblemFor4xx(response);
					sent++;
				}
			}
		}
		// The gateway counts a routed request when its exchange completes, just after the
		// answer is written.
		Thread.sleep(1000);
		assertThat(routedRequests()).as("requests routed to a service out of %d sent without a key", sent)
			.isEqualTo(routedBefore);
	}

	/** The sum of {@code spring_cloud_gateway_requests_seconds_count} over all routes. */
	private static long routedRequests() {
		LocalSystem system = LocalSystem.get();
		return system.prometheus(system.gateway)
			.lines()
			.filter(line -> line.startsWith("spring_cloud_gateway_requests_seconds_count{"))
			.mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private static org.quicktheories.QuickTheory properties() {
		return qt().withExamples(TRIES).withFixedSeed(SEED);
	}

	private static Gen<byte[]> userBodies() {
		Gen<String> validShapeOddStrings = text().zip(text(),
				(name, email) -> "{\"name\":" + quote(name) + ",\"email\":" + quote(email) + "}");
		Gen<String> plausible = text().zip(
				strings().basicLatinAlphabet().ofLengthBetween(1, 12).map(HostileInputPropertiesIT::lettersOnly),
				(name, local) -> "{\"name\":" + quote(name) + ",\"email\":\"" + local + "-" + UUID.randomUUID()
						+ "@example.com\"}");
		Gen<byte[]> rawBytes = Generate.byteArrays(integers().between(0, 300),
				Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
		return Generate.oneOf(validShapeOddStrings.map(HostileInputPropertiesIT::utf8),
				plausible.map(HostileInputPropertiesIT::utf8), jsonValues().map(HostileInputPropertiesIT::utf8),
				mutated(plausible).map(HostileInputPropertiesIT::utf8), rawBytes);
	}

	private static Gen<String> orderBodies() {
		Gen<String> userIds = Generate.oneOf(Generate.constant(userId),
				Generate.constant(() -> UUID.randomUUID().toString()), text());
		Gen<String> quantities = Generate.oneOf(integers().all().map(value -> String.valueOf(value)),
				longs().all().map(value -> String.valueOf(value)),
				bigIntegers().ofBytes(16).map(value -> String.valueOf(value)),
				Generate.pick(List.of("0", "1", "1000", "1001", "-0", "1.0", "1.5", "1e3", "1e400", "-1e-400",
						"99999999999999999999", "\"7\"", "true", "null", "[]", "{}", "NaN", "0x10")),
				doubles().any().map(value -> String.valueOf(value)), text().map(HostileInputPropertiesIT::quote));
		Gen<String> skus = Generate.oneOf(fromChars("ABC123-_.", 1, 64), text());
		Gen<String> valid = userIds.zip(skus, quantities, (user, sku, quantity) -> "{\"userId\":" + quote(user)
				+ ",\"sku\":" + quote(sku) + ",\"quantity\":" + quantity + "}");
		return Generate.oneOf(valid, mutated(valid), jsonValues());
	}

	/**
	 * Well-formed request targets (malformed escapes such as {@code %zz} are in
	 * {@link HostileInputIT}).
	 */
	private static Gen<String> pathsAndQueries() {
		Gen<String> segments = Generate.oneOf(text().map(HostileInputPropertiesIT::percentEncode),
				Generate.pick(List.of("..", ".", "%2e%2e", "%2F", "%00", UUID.randomUUID().toString(), userId, "orders",
						"actuator", "users", "%C0%AF", "%ff")));
		Gen<String> paths = Generate.pick(List.of("/api/users", "/api/orders", "/api", "/"))
			.zip(lists().of(segments).ofSizeBetween(0, 4),
					(base, rest) -> base + (rest.isEmpty() ? "" : "/" + String.join("/", rest)));
		Gen<String> pairs = Generate.pick(List.of("page", "size", "userId", "q", "page[]", ""))
			.zip(Generate.oneOf(text().map(HostileInputPropertiesIT::percentEncode),
					Generate.pick(List.of("-1", "0", "100", "101", "999999999999", "1e3", "%00", userId, ""))),
					(name, value) -> name + "=" + value);
		Gen<String> queries = lists().of(pairs)
			.ofSizeBetween(0, 4)
			.map(list -> list.isEmpty() ? "" : "?" + String.join("&", list));
		return paths.zip(queries, String::concat);
	}

	private static Gen<List<String>> headers() {
		Gen<String> names = Generate
			.oneOf(fromChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~", 1, 30),
					Generate.pick(List.of("Accept", "Accept-Language", "Accept-Encoding", "Content-Type",
							"Idempotency-Key", "Cookie", "Authorization", "traceparent", "tracestate", "b3",
							"X-Forwarded-For", "Forwarded", "X-Forwarded-Prefix", "X-Forwarded-Host", "Range",
							"If-None-Match", "If-Modified-Since", "Access-Control-Request-Method", "Content-Encoding",
							"X-HTTP-Method-Override")))
			.assuming(name -> !UNSENDABLE_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
		Gen<String> values = Generate.oneOf(
				strings().betweenCodePoints(' ', '~').ofLengthBetween(0, 200).map(String::strip),
				Generate.pick(List.of("*/*", "foo", "application/json;q=0", "text/html", "gzip", "en;q=x",
						"de-DE-u-ca-x", "00-zz-zz-01", "bytes=0-0,-1", "Basic ===", "..", "\"", "GET",
						"application/problem+json; charset=utf-16")));
		return lists().of(names.zip(values, List::of)).ofSizeBetween(0, 6).map(pairs -> {
			List<String> flat = new ArrayList<>();
			pairs.forEach(flat::addAll);
			return flat;
		});
	}

	/**
	 * Strings from all of Unicode (control characters, surrogates, right-to-left
	 * marks...) and injection classics.
	 */
	private static Gen<String> text() {
		return Generate.oneOf(strings().allPossible().ofLengthBetween(0, 120),
				strings().betweenCodePoints(0, 0xff).ofLengthBetween(0, 40),
				Generate.pick(List.of("", " ", "'; DROP TABLE users;--", "\" OR 1=1 --", "<script>alert(1)</script>",
						"${jndi:ldap://x/a}", "{{7*7}}", "\\u0000", "\u0000", "\uD800", "\uDFFF\uD800", "\u202Eevil",
						"a@b", "x".repeat(101), "x".repeat(300), "null", "%00", "../../etc/passwd")));
	}

	/** Random JSON values: deep nesting, huge and odd numbers, wrong types. */
	private static Gen<String> jsonValues() {
		Gen<String> scalars = Generate.oneOf(text().map(HostileInputPropertiesIT::quote),
				bigIntegers().ofBytes(16).map(value -> String.valueOf(value)),
				doubles().any().map(value -> String.valueOf(value)), Generate
					.pick(List.of("true", "false", "null", "1e400", "-0", "1E-400", "123456789012345678901234567890")));
		Gen<String> nested = integers().between(1, 2000)
			.zip(Generate.pick(List.of("[", "{\"a\":")),
					(depth, open) -> open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth));
		Gen<String> objects = lists()
			.of(Generate.pick(List.of("name", "email", "userId", "sku", "quantity", "id"))
				.zip(scalars, (key, value) -> "\"" + key + "\":" + value))
			.ofSizeBetween(0, 6)
			.map(fields -> "{" + String.join(",", fields) + "}");
		Gen<String> arrays = lists().of(objects).ofSizeBetween(0, 3).map(list -> "[" + String.join(",", list) + "]");
		return Generate.oneOf(scalars, nested, objects, arrays);
	}

	/** A body cut short, or with one character replaced: mostly invalid JSON. */
	private static Gen<String> mutated(Gen<String> bodies) {
		return bodies.zip(integers().between(0, 1000), Generate.characters(0, 0xFFFF), (body, at, c) -> {
			int index = at % (body.length() + 1);
			return (at % 2 == 0) ? body.substring(0, index)
					: body.substring(0, index) + c + body.substring(Math.min(body.length(), index + 1));
		});
	}

	/** Strings of {@code min..max} characters taken from {@code alphabet}. */
	private static Gen<String> fromChars(String alphabet, int min, int max) {
		List<Character> chars = alphabet.chars().mapToObj(c -> (char) c).toList();
		return lists().of(Generate.pick(chars)).ofSizeBetween(min, max).map(list -> {
			StringBuilder text = new StringBuilder();
			list.forEach(text::append);
			return text.toString();
		});
	}

	private static String lettersOnly(String text) {
		String letters = text.replaceAll("[^A-Za-z]", "");
		return letters.isEmpty() ? "a" : letters;
	}

	private void assertNoServerErrorAndProblemFor4xx(ApiResponse response) {
		int status = response.status();
		if (status == 503) {
			assertThat(response.header("Retry-After")).as(response.toString()).isNotNull();
		}
		else {
			assertThat(status).as(response.toString()).isLessThan(500);
		}
		if (status >= 400) {
			assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.path("status").asInt()).as(response.toString()).isEqualTo(status);
			assertThat(response.body()).as(response.toString()).doesNotContain("Exception", "\tat ");
		}
	}

	private static int ordersOfUser() {
		for (int attempt = 0;; attempt++) {
			ApiResponse orders = gateway.get("/api/orders?userId=" + userId);
			if (orders.status() == 200) {
				return orders.json().path("totalElements").asInt();
			}
			assertThat(orders.status()).as(orders.toString()).isEqualTo(429);
			assertThat(attempt).isLessThan(10);
			HostileInputIT.sleep(Duration.ofSeconds(1));
		}
	}

	private static String orderBody(String sku, String quantity) {
		return "{\"userId\":\"" + userId + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
	}

	private static String[] withContentType(String[] headers) {
		for (int i = 0; i < headers.length; i += 2) {
			if (headers[i].equalsIgnoreCase("Content-Type")) {
				return headers;
			}
		}
		String[] all = Arrays.copyOf(headers, headers.length + 2);
		all[headers.length] = "Content-Type";
		all[headers.length + 1] = "application/json";
		return all;
	}

	private static String quote(String text) {
		return JSON.writeValueAsString(text);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Percent-encodes everything but RFC 3986 unreserved characters (UTF-8; lone
	 * surrogates become '?').
	 */
	private static String percentEncode(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : utf8(text)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

}
