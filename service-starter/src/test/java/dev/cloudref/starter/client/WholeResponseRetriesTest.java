package dev.cloudref.starter.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real LoadBalancer stack with LoadBalancer retry on (one retry on the next instance,
 * as in the services) and two instances of service "things": one answers {@code 200} with
 * the start of a streamed JSON array and then resets the connection, the other answers
 * whole. Every call succeeds: the broken body is retried on the other instance like a
 * refused connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.cloud.loadbalancer.health-check.path.default=/readyz",
				"spring.cloud.loadbalancer.health-check.interval=200ms", "spring.cloud.loadbalancer.retry.enabled=true",
				"spring.cloud.loadbalancer.retry.max-retries-on-same-service-instance=0",
				"spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance=1",
				"cloudref.loadbalancer.outlier-detection.enabled=false",
				"spring.cloud.loadbalancer.eager-load.clients=things", "eureka.client.enabled=false",
				// The services' timeouts (config-repo/application.yml).
				"spring.http.clients.connect-timeout=500ms", "spring.http.clients.read-timeout=2s",
				"resilience4j.timelimiter.configs.default.timeout-duration=4s" })
class WholeResponseRetriesTest {

	static final BrokenBodyServer broken = new BrokenBodyServer();

	static final MockWebServer whole = new MockWebServer();

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) throws IOException {
		whole.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("[\"a\",\"b\"]")
					.build();
			}
		});
		whole.start();
		broken.start();
		registry.add("spring.cloud.discovery.client.simple.instances.things[0].uri",
				() -> "http://127.0.0.1:" + broken.port());
		registry.add("spring.cloud.discovery.client.simple.instances.things[1].uri",
				() -> "http://127.0.0.1:" + whole.getPort());
	}

	@AfterAll
	static void stopServers() throws IOException {
		whole.close();
		broken.close();
	}

	@Autowired
	ThingsApi things;

	@Test
	void aResponseWhoseBodyBreaksIsRetriedOnAnotherInstance() {
		Awaitility.await("both instances probed")
			.atMost(Duration.ofSeconds(10))
			.until(() -> broken.probes.get() > 0 && whole.getRequestCount() > 0);
		for (int i = 0; i < 10; i++) {
			assertThat(things.list().block(Duration.ofSeconds(10))).as("call %d", i).containsExactly("a", "b");
		}
		assertThat(broken.brokenBodies.get()).as("calls that reached the broken instance first").isPositive();
	}

	interface ThingsApi {

		@GetExchange("/things")
		Mono<List<String>> list();

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ImportHttpServices(group = "things", types = ThingsApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class App {

	}

	/**
	 * Answers {@code /readyz} with 200; anything else with 200 headers and the first
	 * chunk of a JSON array, then resets the connection (as an instance killed while
	 * streaming its answer does).
	 */
	static final class BrokenBodyServer implements AutoCloseable {

		final AtomicInteger probes = new AtomicInteger();

		final AtomicInteger brokenBodies = new AtomicInteger();

		private ServerSocket server;

		void start() throws IOException {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(this::accept, "broken-body-server");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return server.getLocalPort();
		}

		private void accept() {
			while (!server.isClosed()) {
				try (Socket socket = server.accept()) {
					answer(socket);
				}
				catch (IOException ex) {
					// next connection
				}
			}
		}

		private void answer(Socket socket) throws IOException {
			String requestLine = readHead(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			if (requestLine.startsWith("GET /readyz")) {
				probes.incrementAndGet();
				out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				return;
			}
			brokenBodies.incrementAndGet();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\n[\"a\",\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.setSoLinger(true, 0);
		}

		/** Reads the request head and returns its first line. */
		private static String readHead(InputStream in) throws IOException {
			StringBuilder head = new StringBuilder();
			int c;
			while ((c = in.read()) != -1) {
				head.append((char) c);
				if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
					break;
				}
			}
			int end = head.indexOf("\r\n");
			return (end < 0) ? head.toString() : head.substring(0, end);
		}

		@Override
		public void close() throws IOException {
			server.close();
		}

	}

}
