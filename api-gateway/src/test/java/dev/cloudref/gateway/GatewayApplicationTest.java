package dev.cloudref.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.tls.SelfSignedCertificate;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway over HTTPS with its self-signed certificate, with user-service played by a
 * {@link MockWebServer} found through Spring Cloud's simple discovery client, and no
 * instance of order-service at all.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"gateway.api-keys=test:" + GatewayApplicationTest.SECRET_SHA256 + ",tiny:"
						+ GatewayApplicationTest.TINY_SHA256,
				"gateway.rate-limit.keys.tiny.capacity=3", "gateway.rate-limit.keys.tiny.refill-tokens=1",
				"gateway.rate-limit.keys.tiny.refill-period=1h",
				// The mock answers the API only; health-checked instances are tested in
				// service-starter.
				"cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
class GatewayApplicationTest {

	static final String API_KEY = "secret";

	/**
	 * SHA-256 of {@value #API_KEY}; checked against the JDK in
	 * {@link #apiKeyHashIsTheHashOfTheKey()}.
	 */
	static final String SECRET_SHA256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

	/** A second key whose bucket holds 3 requests and refills one per hour. */
	static final String TINY_KEY = "tiny-secret";

	static final String TINY_SHA256 = "6c77dad0656f58b1b3d07dab9bc8219bdd1ed821d77acd91123de5342ae2244b";

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	static volatile Function<RecordedRequest, MockResponse> userServiceAnswers;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return userServiceAnswers.apply(request);
			}
		});
		userService.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri",
				() -> "http://localhost:" + userService.getPort());
	}

	@AfterAll
	static void stopUserService() {
		userService.close();
	}

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	WebTestClient client;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void setUp() throws Exception {
		userServiceAnswers = request -> json(200, "{\"id\":\"123\"}");
		while (userService.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// drop requests recorded by earlier tests
		}
		// Trust only the certificate the gateway created; the host name is checked
		// against its SANs.
		client = GatewayTestClient.https(tlsDir, port);
	}

	@Test
	void apiKeyHashIsTheHashOfTheKey() throws Exception {
		byte[] hash = MessageDigest.getInstance("SHA-256").digest(API_KEY.getBytes(StandardCharsets.UTF_8));
		assertThat(HexFormat.of().formatHex(hash)).isEqualTo(SECRET_SHA256);
	}

	@Test
	void refusesARequestWithoutKey() {
		int callsBefore = userService.getRequestCount();

		String body = expectUnauthorized(client.get().uri("/api/users/123"));

		assertThat(body).contains("\"status\":401").contains("\"title\":\"Unauthorized\"");
		assertThat(userService.getRequestCount()).isEqualTo(callsBefore);
	}

	@Test
	void refusesAWrongKeyWithTheSameAnswerAsAMissingOne() {
		int callsBefore = userService.getRequestCount();
		String missing = expectUnauthorized(client.get().uri("/api/users/123"));
		String wrong = expectUnauthorized(client.get().uri("/api/users/123").header("X-API-Key", "not-the-secret"));
		String empty = expectUnauthorized(client.get().uri("/api/users/123").header("X-API-Key", ""));

		assertThat(wrong).isEqualTo(missing);
		assertThat(empty).isEqualTo(missing);
		assertThat(userService.getRequestCount()).isEqualTo(callsBefore);
	}

	@Test
	void routesAnAuthenticatedRequestToUserServiceWithoutTheKey() throws InterruptedException {
		userServiceAnswers = request -> json(200, "{\"id\":\"123\",\"name\":\"Ada\"}");

		client.get()
			.uri("/api/users/123?verbose=true")
			.header("X-API-Key", API_KEY)
			.header("X-Forwarded-For", "203.0.113.7")
			.header("X-Forwarded-Host", "evil.example")
			.header("Forwarded", "for=203.0.113.7;host=evil.example")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("123")
			.jsonPath("$.name")
			.isEqualTo("Ada");

		RecordedRequest routed = userService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(routed).isNotNull();
		assertThat(routed.getMethod()).isEqualTo("GET");
		assertThat(routed.getTarget()).isEqualTo("/users/123?verbose=true");
		assertThat(routed.getHeaders().names()).map(String::toLowerCase)
			.doesNotContain("x-api-key", "forwarded", "x-forwarded-host");
		assertThat(routed.getHeaders().values("X-Forwarded-For")).noneMatch(value -> value.contains("203.0.113.7"));
		// The services require a token: an API-key caller's request carries the gateway's
		// own.
		assertThat(routed.getHeaders().values(HttpHeaders.AUTHORIZATION))
			.containsExactly("Bearer " + TestOwnTokenConfiguration.TOKEN);
	}

	/**
	 * Issue 19: services scope what belongs to a client (its idempotency keys) by the
	 * Caller-Id header, so only the gateway may set it: from the authenticated key, never
	 * from what the client sent.
	 */
	@Test
	void namesTheAuthenticatedCallerInCallerIdAndDropsTheClientsOwn() throws InterruptedException {
		userServiceAnswers = request -> json(200, "{\"id\":\"123\"}");

		client.get()
			.uri("/api/users/123")
			.header("X-API-Key", API_KEY)
			.header("Caller-Id", "api-key:tiny")
			.header("Caller-Id", "api-key:someone-else")
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(userService.takeRequest(5, TimeUnit.SECONDS).getHeaders().values("Caller-Id"))
			.containsExactly("api-key:test");
	}

	@Test
	void routesTheCollectionPathAndPassesTheBodyOn() throws InterruptedException {
		userServiceAnswers = request -> new MockResponse.Builder().code(201)
			.setHeader(HttpHeaders.LOCATION, "/users/abc")
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body("{\"id\":\"abc\"}")
			.build();

		client.post()
			.uri("/api/users")
			.header("X-API-Key", API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "/api/users/abc");

		RecordedRequest routed = userService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(routed.getMethod()).isEqualTo("POST");
		assertThat(routed.getTarget()).isEqualTo("/users");
		assertThat(routed.getBody().utf8()).isEqualTo("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
	}

	@Test
	void passesProblemsOfTheServiceThrough() {
		userServiceAnswers = request -> new MockResponse.Builder().code(404)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
			.body("{\"status\":404,\"title\":\"User not found\"}")
			.build();

		client.get()
			.uri("/api/users/missing")
			.header("X-API-Key", API_KEY)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("User not found");
	}

	@Test
	void retriesAGetThatGotBadGatewayButNeverAPost() {
		userServiceAnswers = request -> json(502, "{\"status\":502}");

		int callsBefore = userService.getRequestCount();
		client.get().uri("/api/users/123").header("X-API-Key", API_KEY).exchange().expectStatus().isEqualTo(502);
		// The first attempt and three retries (the route's Retry filter).
		assertThat(userService.getRequestCount() - callsBefore).isEqualTo(4);

		callsBefore = userService.getRequestCount();
		client.post()
			.uri("/api/users")
			.header("X-API-Key", API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(502);
		assertThat(userService.getRequestCount() - callsBefore).isEqualTo(1);
	}

	@Test
	void answersAnUnknownApiRouteWithNotFoundProblem() {
		client.get()
			.uri("/api/nope")
			.header("X-API-Key", API_KEY)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
	}

	@Test
	void asksForTheKeyBeforeRevealingWhetherARouteExists() {
		expectUnauthorized(client.get().uri("/api/nope"));
	}

	@Test
	void keepsTheHttp2ConnectionWhenARetriedPostFindsNoInstance() throws Exception {
		java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
		trusted.load(null, null);
		try (java.io.InputStream in = java.nio.file.Files
			.newInputStream(tlsDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE))) {
			trusted.setCertificateEntry("gateway",
					java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory
			.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
		tls.init(null, trust.getTrustManagers(), null);
		java.net.http.HttpClient http2 = java.net.http.HttpClient.newBuilder()
			.version(java.net.http.HttpClient.Version.HTTP_2)
			.sslContext(tls)
			.build();
		String order = "{\"userId\":\"00000000-0000-0000-0000-000000000001\",\"sku\":\"A\",\"quantity\":1}";
		for (int i = 0; i < 5; i++) {
			// Routes that may retry a POST cache its body; order-service has no instance
			// here.
			java.net.http.HttpResponse<String> refused = http2.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("https://localhost:" + port + "/api/orders"))
				.timeout(Duration.ofSeconds(10))
				.header("X-API-Key", API_KEY)
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", "no-instance-" + i)
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(order))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
			java.net.http.HttpResponse<String> next = http2.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("https://localhost:" + port + "/api/users/123"))
				.timeout(Duration.ofSeconds(10))
				.header("X-API-Key", API_KEY)
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(next.statusCode()).as("the next request on the same connection").isEqualTo(200);
		}
	}

	@Test
	void answersServiceUnavailableWhenAServiceHasNoInstance() {
		client.get()
			.uri("/api/orders/123")
			.header("X-API-Key", API_KEY)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503);
	}

	@Test
	void sendsStrictTransportSecurityOverHttpsOnlyErrorsIncluded() {
		// One year by default (RFC 6797), on routed answers, 401 problems and unrouted
		// paths.
		client.get()
			.uri("/api/users/123")
			.header("X-API-Key", API_KEY)
			.exchange()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000");
		client.get()
			.uri("/api/users/123")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000");
		client.get()
			.uri("/not-api")
			.exchange()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000");
		// Never over plain HTTP (RFC 6797 section 7.2): the management port.
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + managementPort)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectHeader()
			.doesNotExist("Strict-Transport-Security");
	}

	@Test
	void doesNotRequireAKeyOutsideTheApi() {
		client.get()
			.uri("/not-api")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void returnsTheTraceIdOfTheRequestAndPropagatesItDownstream() throws InterruptedException {
		String traceId = client.get()
			.uri("/api/users/123")
			.header("X-API-Key", API_KEY)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Trace-Id");

		assertThat(traceId).matches("[0-9a-f]{32}");
		RecordedRequest routed = userService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(routed).isNotNull();
		assertThat(routed.getHeaders().get("traceparent")).startsWith("00-" + traceId + "-");
	}

	@Test
	void returnsATraceIdWithErrorsToo() {
		String traceId = client.get()
			.uri("/api/users/123")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Trace-Id");

		assertThat(traceId).matches("[0-9a-f]{32}");
	}

	@Test
	void tagsRequestMetricsWithTheKeyIdButNeverTheKey() {
		client.get().uri("/api/users/123").header("X-API-Key", API_KEY).exchange().expectStatus().isOk();
		client.get().uri("/api/users/123").header("X-API-Key", "wrong").exchange().expectStatus().isUnauthorized();

		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(meters.find("http.server.requests").tag("api.key.id", "test").tag("status", "200").timer())
				.isNotNull();
			assertThat(meters.find("http.server.requests").tag("api.key.id", "none").tag("status", "401").timer())
				.isNotNull();
		});
		assertThat(meters.getMeters()).flatMap(meter -> meter.getId().getTags())
			.noneMatch(tag -> tag.getValue().contains(API_KEY) || tag.getValue().contains("wrong"));
	}

	@Test
	void limitsEachKeyToItsBucketWith429ProblemAndRetryAfter() {
		int callsBefore = userService.getRequestCount();
		for (int remaining = 2; remaining >= 0; remaining--) {
			client.get()
				.uri("/api/users/123")
				.header("X-API-Key", TINY_KEY)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("RateLimit-Limit", "3")
				.expectHeader()
				.valueEquals("RateLimit-Remaining", String.valueOf(remaining));
		}

		String body = client.get()
			.uri("/api/users/123")
			.header("X-API-Key", TINY_KEY)
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Long.parseLong(retryAfter)).isBetween(1L, 3600L))
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "0")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("\"status\":429").contains("\"title\":\"Too many requests\"");
		assertThat(userService.getRequestCount()).as("the limited request never reached the service")
			.isEqualTo(callsBefore + 3);
		// Another key has its own bucket.
		client.get().uri("/api/users/123").header("X-API-Key", API_KEY).exchange().expectStatus().isOk();
		assertThat(meters.find("gateway.rate.limit.requests")
			.tag("api.key.id", "tiny")
			.tag("outcome", "limited")
			.counter()).isNotNull().satisfies(counter -> assertThat(counter.count()).isEqualTo(1.0));
	}

	private String expectUnauthorized(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-API-Key\"", "Bearer realm=\"cloudref\"")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body(body)
			.build();
	}

}
