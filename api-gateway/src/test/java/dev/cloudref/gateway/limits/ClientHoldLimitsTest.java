package dev.cloudref.gateway.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.tls.SelfSignedCertificate;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one client can make the gateway hold open: streams on an HTTP/2 connection,
 * requests in flight per API key, and requests waiting for a pooled connection to an
 * instance. Small limits (3 streams; 1 request in flight for key "test"; 2 connections
 * and 1 waiting request per instance) so that each is quick to cross; user-service is a
 * {@link MockWebServer} whose {@code /users/hold*} answers wait for the test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"gateway.api-keys=test:" + RequestLimitsTest.SECRET_SHA256 + ",bulk:"
						+ ClientHoldLimitsTest.BULK_SHA256,
				"gateway.rate-limit.defaults.capacity=1000", "gateway.rate-limit.defaults.refill-tokens=1000",
				"gateway.rate-limit.defaults.max-in-flight=1", "gateway.rate-limit.keys.bulk.capacity=1000",
				"gateway.rate-limit.keys.bulk.refill-tokens=1000", "gateway.rate-limit.keys.bulk.max-in-flight=100",
				"gateway.limits.max-concurrent-streams=3", "gateway.limits.upstream-pending-acquires=1",
				"spring.cloud.gateway.server.webflux.httpclient.pool.max-connections=2",
				"spring.cloud.gateway.server.webflux.httpclient.pool.acquire-timeout=1500",
				"cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ClientHoldLimitsTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** A second key, with room for 100 requests in flight (the "test" key has 1). */
	static final String BULK_KEY = "bulk-secret";

	static final String BULK_SHA256 = "edc879eb46aaef8ff4dcc4ea994f52d7a9d4c4da2f345e86bde8c98065f99ebf";

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	static volatile CountDownLatch held = new CountDownLatch(0);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if (request.getUrl().encodedPath().startsWith("/users/hold")) {
					held.await(20, TimeUnit.SECONDS);
				}
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
		held.countDown();
		userService.close();
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void warmUpAndDropRequestsOfEarlierTests() throws Exception {
		// One request first, alone: LoadBalancer makes a route's instance list on its
		// first choice, under a lock, and two first requests at once would wait for it on
		// an event loop (BlockHound fails that request).
		HttpClient http = HttpClient.newBuilder().sslContext(RawHttps.trusting(certificate())).build();
		assertThat(get(http, "/api/users/warm-up").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		while (userService.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// each test waits for its own held requests to arrive
		}
	}

	@Test
	void refusesHttp2StreamsAboveTheAdvertisedLimitAndKeepsTheConnection(CapturedOutput output) throws Exception {
		try (RawHttp2 connection = RawHttp2.open(port, certificate())) {
			assertThat(connection.serverSettings(WAIT).setting(RawHttp2.SETTINGS_MAX_CONCURRENT_STREAMS))
				.as("SETTINGS_MAX_CONCURRENT_STREAMS")
				.isEqualTo(3L);
			// Three slow POSTs: headers sent, bodies never finished.
			Map<String, String> fields = Map.of("x-api-key", BULK_KEY, "content-type", "application/json",
					"content-length", "2");
			for (int stream = 1; stream <= 5; stream += 2) {
				connection.headers(stream, "POST", "/api/users", fields, false);
			}
			connection.headers(7, "POST", "/api/users", fields, false);
			assertThat(connection.awaitFrame(RawHttp2.RST_STREAM, 7, WAIT).errorCode()).as("RST_STREAM error code")
				.isEqualTo(RawHttp2.REFUSED_STREAM);
			// The connection still serves its open streams.
			connection.data(1, "{}".getBytes(), true);
			assertThat(connection.awaitFrame(RawHttp2.HEADERS, 1, WAIT).streamId()).isEqualTo(1);
		}
		// Closed with two bodies unfinished: a client abort, not a server error.
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!output.getOut().contains("POST /api/users 499") && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(output.getOut()).contains("POST /api/users 499")
			.doesNotContain("POST /api/users 500")
			.doesNotContain("Unhandled error");
	}

	@Test
	void answers503WhenTooManyRequestsWaitForAConnectionToOneInstance() throws Exception {
		held = new CountDownLatch(1);
		int routedBefore = userService.getRequestCount();
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(RawHttps.trusting(certificate()))
			.build();
		try {
			// Two requests hold the pool's two connections to the instance.
			CompletableFuture<HttpResponse<String>> first = get(http, "/api/users/hold-1");
			CompletableFuture<HttpResponse<String>> second = get(http, "/api/users/hold-2");
			assertThat(userService.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
			assertThat(userService.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
			// A third waits for one of them (the one waiting request allowed)...
			CompletableFuture<HttpResponse<String>> waiting = get(http, "/api/users/hold-3");
			Thread.sleep(300);
			// ...so a fourth is refused at once.
			HttpResponse<String> refused = get(http, "/api/users/4").get(10, TimeUnit.SECONDS);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(refused.body()).contains("Too many requests are waiting for a connection");
			// The waiting one gives up after the pool's acquire timeout, with 503 too
			// (not 504).
			HttpResponse<String> timedOut = waiting.get(10, TimeUnit.SECONDS);
			assertThat(timedOut.statusCode()).isEqualTo(503);
			assertThat(timedOut.body()).contains("No connection to the service instance became free in time");
			held.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(userService.getRequestCount() - routedBefore).as("requests that reached the instance")
				.isEqualTo(2);
			// Once connections are free again, requests go through.
			assertThat(get(http, "/api/users/5").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		finally {
			held.countDown();
		}
	}

	@Test
	void capsTheRequestsOneKeyHasInFlightAndKeepsServingTheOthers() throws Exception {
		held = new CountDownLatch(1);
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.sslContext(RawHttps.trusting(certificate()))
			.build();
		try {
			// The "test" key's one place is taken by a request that does not complete...
			CompletableFuture<HttpResponse<String>> first = get(http, "/api/users/hold-a", RequestLimitsTest.API_KEY);
			assertThat(userService.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
			// ...so its second is refused as its own excess, not the gateway's overload.
			HttpResponse<String> refusedOwn = get(http, "/api/users/c", RequestLimitsTest.API_KEY).get(10,
					TimeUnit.SECONDS);
			assertThat(refusedOwn.statusCode()).isEqualTo(429);
			assertThat(refusedOwn.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refusedOwn.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(refusedOwn.body()).contains("at its limit of 1 request(s) in flight");
			// Another key is served meanwhile.
			assertThat(get(http, "/api/users/d", BULK_KEY).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			held.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			// The place is free again once that one completed.
			assertThat(get(http, "/api/users/e", RequestLimitsTest.API_KEY).get(10, TimeUnit.SECONDS).statusCode())
				.isEqualTo(200);
		}
		finally {
			held.countDown();
		}
	}

	private CompletableFuture<HttpResponse<String>> get(HttpClient http, String path) {
		return get(http, path, BULK_KEY);
	}

	private CompletableFuture<HttpResponse<String>> get(HttpClient http, String path, String apiKey) {
		return http.sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.header("X-API-Key", apiKey)
			.timeout(Duration.ofSeconds(15))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Path certificate() {
		return tlsDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE);
	}

}
