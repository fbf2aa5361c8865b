package dev.cloudref.gateway.observability;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.GatewayTestClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client cannot force sampling or choose the trace: with the gateway sampling nothing
 * ({@code management.tracing.sampling.probability=0}), a request whose
 * {@code traceparent} says "sampled" reaches the service in a new, unsampled trace,
 * without the client's {@code tracestate}, {@code baggage} or B3 headers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"gateway.api-keys=test:" + ClientTraceContextTest.KEY_SHA256,
				"management.tracing.sampling.probability=0.0", "cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
class ClientTraceContextTest {

	/** sha256("trace-test-key"). */
	static final String KEY_SHA256 = "55a65ea705f90f82878caf11452f7816de939d377408bfa26cda4ae098a276c2";

	static final String KEY = "trace-test-key";

	static final String CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.enqueue(new MockResponse.Builder().code(200).body("{}").build());
		userService.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri",
				() -> "http://127.0.0.1:" + userService.getPort());
	}

	@AfterAll
	static void stopServer() {
		userService.close();
	}

	@LocalServerPort
	int port;

	@Test
	void startsAnUnsampledTraceOfItsOwnWhateverTheClientSends() throws Exception {
		WebTestClient client = GatewayTestClient.https(tlsDir, port);

		String traceId = client.get()
			.uri("/api/users/123")
			.header("X-API-Key", KEY)
			.header("traceparent", "00-" + CLIENT_TRACE_ID + "-00f067aa0ba902b7-01")
			.header("tracestate", "client=1")
			.header("baggage", "tenant=attacker")
			.header("b3", CLIENT_TRACE_ID + "-00f067aa0ba902b7-1")
			.header("X-B3-Sampled", "1")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst(TraceIdResponseHeaderFilter.TRACE_ID_HEADER);

		RecordedRequest routed = userService.takeRequest(10, TimeUnit.SECONDS);
		assertThat(routed).isNotNull();
		String traceparent = routed.getHeaders().get("traceparent");
		assertThat(traceparent).as("the gateway's own trace, not sampled")
			.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
			.doesNotContain(CLIENT_TRACE_ID);
		assertThat(traceId).isNotEqualTo(CLIENT_TRACE_ID);
		for (String header : new String[] { "tracestate", "baggage", "b3", "X-B3-Sampled", "X-B3-TraceId" }) {
			String value = routed.getHeaders().get(header);
			assertThat(value).as(header)
				.satisfiesAnyOf(v -> assertThat(v).isNull(),
						v -> assertThat(v).doesNotContain(CLIENT_TRACE_ID)
							.doesNotContain("attacker")
							.doesNotContain("client=1"));
		}
	}

}
