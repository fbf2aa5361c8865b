package dev.cloudref.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * A service this one calls, played by a {@link MockWebServer} that the real load-balanced
 * client finds by service name. Hand it to the test's {@link TestEnvironment}, which
 * starts, registers and stops it.
 */
public final class FakeService implements AutoCloseable {

	private final String serviceId;

	private final MockWebServer server = new MockWebServer();

	private boolean started;

	private volatile Function<RecordedRequest, MockResponse> answers = request -> json(404, "{}");

	/**
	 * @param serviceId the service's registered name, e.g. {@code user-service}
	 */
	public FakeService(String serviceId) {
		this.serviceId = serviceId;
		server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answers.apply(request);
			}
		});
	}

	/**
	 * Starts the server (once) and makes it the only instance of the service.
	 * @return the property that registers it with Spring Cloud's simple discovery client
	 * @throws UncheckedIOException if the server cannot listen
	 */
	synchronized Map<String, Object> properties() {
		if (!started) {
			try {
				server.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			started = true;
		}
		return Map.of("spring.cloud.discovery.client.simple.instances." + serviceId + "[0].uri",
				"http://localhost:" + server.getPort());
	}

	/**
	 * Sets how the service answers from now on, and forgets the requests recorded so far.
	 * @param answers the response to each request
	 * @throws InterruptedException if interrupted while dropping recorded requests
	 */
	public void reset(Function<RecordedRequest, MockResponse> answers) throws InterruptedException {
		this.answers = answers;
		while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// drop requests recorded by earlier tests
		}
	}

	/**
	 * @return the server, e.g. to take the requests it received
	 */
	public MockWebServer server() {
		return server;
	}

	@Override
	public void close() {
		server.close();
	}

	/**
	 * @param status the HTTP status code
	 * @param body a JSON document
	 * @return a response with the status and the body as {@code application/json}
	 */
	public static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body(body)
			.build();
	}

}
