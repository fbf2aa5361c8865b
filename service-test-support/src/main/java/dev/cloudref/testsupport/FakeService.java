package dev.cloudref.testsupport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A service this one calls, played by a {@link MockWebServer} that the application's
 * real load-balanced client finds by service name through Spring Cloud's simple
 * discovery client. Hold it in a static field; register it from a
 * {@code @DynamicPropertySource} method, close it in {@code @AfterAll}.
 */
public final class FakeService implements AutoCloseable {

	private final String serviceId;

	private final MockWebServer server = new MockWebServer();

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
	 * Starts the server and makes it the only instance of the service.
	 * @param registry the test's dynamic properties
	 * @throws IOException if the server cannot listen
	 */
	public void register(DynamicPropertyRegistry registry) throws IOException {
		server.start();
		registry.add("spring.cloud.discovery.client.simple.instances." + serviceId + "[0].uri",
				() -> "http://localhost:" + server.getPort());
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

	/** @return the server, e.g. to take the requests it received */
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
