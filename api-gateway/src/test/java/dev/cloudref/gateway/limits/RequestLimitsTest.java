package dev.cloudref.gateway.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import dev.cloudref.gateway.tls.SelfSignedCertificate;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's limits on hostile input, with small limits and short timeouts so that
 * each is quick to cross; user-service is a {@link MockWebServer}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0", "gateway.rate-limit.enabled=false",
				"gateway.api-keys=test:" + RequestLimitsTest.SECRET_SHA256, "gateway.limits.max-body-size=1KB",
				"gateway.limits.max-uri-length=512B", "gateway.limits.max-header-size=1KB",
				"server.max-http-request-header-size=4KB", "server.netty.max-initial-line-length=2KB",
				"gateway.limits.request-header-timeout=2s", "gateway.limits.request-body-timeout=2s",
				// The mock counts routed requests only; health-checked instances are
				// tested in service-starter.
				"cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
class RequestLimitsTest {

	static final String API_KEY = "secret";

	static final String SECRET_SHA256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(200).body("{}").build();
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

	@Autowired
	List<HttpHeadersFilter> headersFilters;

	WebTestClient http2;

	int routedBefore;

	WebTestClient http1;

	@BeforeEach
	void setUp() throws Exception {
		while (userService.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// drop requests recorded by earlier tests
		}
		routedBefore = userService.getRequestCount();
		SslContext ssl = SslContextBuilder.forClient().trustManager(certificate().toFile()).build();
		http1 = client(HttpClient.create().secure(spec -> spec.sslContext(ssl)));
		http2 = client(HttpClient.create()
			.protocol(HttpProtocol.H2)
			.secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
				.configure(builder -> builder.trustManager(certificate().toFile())))));
	}

	private WebTestClient client(HttpClient httpClient) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(httpClient))
			.baseUrl("https://localhost:" + port)
			.defaultHeader("X-API-Key", API_KEY)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	@Test
	void refusesABodyWhoseContentLengthIsOverTheLimitWithoutRoutingIt() {
		String body = post(http2, "x".repeat(1025)).expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("\"status\":413").contains("larger than 1024 bytes");
		assertThat(userService.getRequestCount()).isEqualTo(routedBefore);
	}

	@Test
	void passesABodyExactlyAtTheLimit() throws InterruptedException {
		post(http2, "x".repeat(1024)).expectStatus().isOk();

		assertThat(userService.takeRequest(5, TimeUnit.SECONDS).getBodySize()).isEqualTo(1024);
	}

	@Test
	void cutsAChunkedBodyWithoutContentLengthOnceItPassesTheLimit() throws InterruptedException {
		for (WebTestClient client : new WebTestClient[] { http1, http2 }) {
			Flux<DataBuffer> chunks = Flux.range(0, 64)
				.map(i -> DefaultDataBufferFactory.sharedInstance
					.wrap("y".repeat(100).getBytes(StandardCharsets.UTF_8)));

			client.post()
				.uri("/api/users")
				.contentType(MediaType.APPLICATION_JSON)
				.body(chunks, DataBuffer.class)
				.exchange()
				.expectStatus()
				.isEqualTo(413)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("The request body is larger than 1024 bytes.");
		}
		// What reached the service, if anything, is a request it could not complete.
		RecordedRequest routed;
		while ((routed = userService.takeRequest(500, TimeUnit.MILLISECONDS)) != null) {
			assertThat(routed.getBodySize()).isLessThan(6400);
		}
	}

	@Test
	void answersATooLongRequestTargetWith414Problem() {
		expectProblem(http2.get().uri("/api/users?q=" + "a".repeat(600)), 414);
		expectProblem(http1.get().uri("/api/users?q=" + "a".repeat(600)), 414);
		assertThat(userService.getRequestCount()).isEqualTo(routedBefore);
	}

	@Test
	void answersTooLargeHeaderFieldsWith431Problem() {
		expectProblem(http2.get().uri("/api/users").header("X-Big", "b".repeat(1100)), 431);
		expectProblem(http1.get().uri("/api/users").header("X-Big", "b".repeat(1100)), 431);
		assertThat(userService.getRequestCount()).isEqualTo(routedBefore);
	}

	@Test
	void answersWithAProblemEvenAboveNettysOwnCapsOverHttp1() throws Exception {
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n");
			String response = connection.readResponse(Duration.ofSeconds(5));
			assertThat(response).startsWith("HTTP/1.1 431")
				.contains("content-type: application/problem+json")
				.contains("\"status\":431");
		}
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			connection.send("GET /api/users?q=" + "a".repeat(3000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(connection.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 414")
				.contains("\"status\":414");
		}
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n");
			assertThat(connection.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 400")
				.contains("\"status\":400");
		}
	}

	@Test
	void answersARequestTargetThatIsNoUriWith400Problem() throws Exception {
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			connection.send("GET /api/nope/{x} HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY + "\r\n\r\n");
			String response = connection.readResponse(Duration.ofSeconds(5));
			assertThat(response).startsWith("HTTP/1.1 400")
				.contains("content-type: application/problem+json")
				.contains("\"detail\":\"The request target is not a valid URI.\"");
			// The connection is still usable.
			connection.send("GET /api/nope/{y} HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(connection.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 400");
		}
	}

	@Test
	void answersAPathThatLooksLikeAnAuthorityWithAProblem() throws Exception {
		for (String path : new String[] { "//", "//evil.example/x", "//?=%20" }) {
			try (RawHttps connection = RawHttps.open(port, certificate())) {
				connection.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
				String response = connection.readResponse(Duration.ofSeconds(5));
				assertThat(response).as(path)
					.startsWith("HTTP/1.1 404")
					.containsIgnoringCase("content-type: application/problem+json")
					.doesNotContain("\"instance\":\"//");
			}
		}
	}

	@Test
	void closesAConnectionWhoseHeadersTrickleIn() throws Exception {
		// The deadline starts when the connection opens, so the clock starts before that.
		long start = System.nanoTime();
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			connection.send("GET /api/users HTTP/1.1\r\nHost: localhost\r\n");
			boolean closed = false;
			for (int i = 0; i < 20 && !closed; i++) {
				try {
					connection.send("X-Slow-" + i + ": x\r\n");
				}
				catch (IOException ex) {
					closed = true;
					break;
				}
				closed = connection.closedWithin(Duration.ofMillis(250));
			}
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(closed).as("closed by the gateway").isTrue();
			// Closed by the 2 s header deadline: not before it, and long before the idle
			// timeout.
			assertThat(elapsedMillis).isBetween(2000L, 8000L);
		}
		assertThat(userService.getRequestCount()).isEqualTo(routedBefore);
	}

	@Test
	void closesAConnectionThatSendsNothingAfterTheHandshake() throws Exception {
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			assertThat(connection.closedWithin(Duration.ofSeconds(6))).isTrue();
		}
	}

	@Test
	void closesAConnectionWhoseBodyNeverCompletes() throws Exception {
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			long start = System.nanoTime();
			connection.send("POST /api/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY
					+ "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":");

			assertThat(connection.closedWithin(Duration.ofSeconds(8))).isTrue();
			// Closed by the 2 s body deadline, not by the 60 s idle timeout.
			assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1500L, 8000L);
		}
	}

	@Test
	void keepsAnIdleKeepAliveConnectionOpenLongerThanTheHeaderTimeout() throws Exception {
		try (RawHttps connection = RawHttps.open(port, certificate())) {
			String request = "GET /api/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY + "\r\n\r\n";
			connection.send(request);
			assertThat(connection.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 200");

			Thread.sleep(2500);
			connection.send(request);
			assertThat(connection.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 200");
		}
	}

	@Test
	void dropsForwardedHeadersOfClientsBecauseNoProxyIsTrusted() throws InterruptedException {
		assertThat(headersFilters).hasAtLeastOneElementOfType(RemoveForwardedHeadersFilter.class)
			.hasAtLeastOneElementOfType(RemoveXForwardedHeadersFilter.class);

		http2.get()
			.uri("/api/users")
			.header("Forwarded", "for=203.0.113.7;host=evil.example;proto=http")
			.header("X-Forwarded-For", "203.0.113.7")
			.header("X-Forwarded-Host", "evil.example")
			.header("X-Forwarded-Proto", "http")
			.header("X-Forwarded-Port", "80")
			.header("X-Forwarded-Prefix", "/evil")
			.exchange()
			.expectStatus()
			.isOk();

		RecordedRequest routed = userService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(routed.getTarget()).isEqualTo("/users");
		assertThat(routed.getHeaders().names()).map(String::toLowerCase)
			.noneMatch(name -> name.equals("forwarded") || name.startsWith("x-forwarded-"));
		assertThat(routed.getHeaders().toString()).doesNotContain("203.0.113.7", "evil.example");
	}

	private WebTestClient.ResponseSpec post(WebTestClient client, String body) {
		return client.post()
			.uri("/api/users")
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()))
			.bodyValue(body)
			.exchange();
	}

	private static void expectProblem(WebTestClient.RequestHeadersSpec<?> request, int status) {
		request.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status);
	}

	private static Path certificate() {
		return tlsDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE);
	}

}
