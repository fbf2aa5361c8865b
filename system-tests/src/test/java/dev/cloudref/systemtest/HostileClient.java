package dev.cloudref.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends what well-behaved clients never do to the gateway: arbitrary bytes as JSON,
 * arbitrary headers (HTTP/2, {@link #send}), and hand-written HTTP/1.1 over a bare TLS
 * socket ({@link #openRaw}), in pieces or slowly.
 */
final class HostileClient {

	private final int port;

	private final SSLContext tls;

	private final String apiKey;

	private final HttpClient http;

	HostileClient(LocalSystem system) {
		this.port = system.gateway.appPort();
		this.tls = GatewayClient.trusting(system.certificate);
		this.apiKey = system.apiKey;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.sslContext(tls)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	String apiKey() {
		return apiKey;
	}

	/**
	 * Sends a request with the API key, the given body (none if {@code null}) and
	 * headers.
	 * @param headers name, value, ... (sent as given, after the key)
	 */
	ApiResponse send(String method, String pathAndQuery, byte[] body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + pathAndQuery))
			.timeout(Duration.ofSeconds(20))
			.header(GatewayClient.API_KEY, apiKey);
		if (headers.length > 0) {
			request.headers(headers);
		}
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
		return send(request.build());
	}

	/**
	 * Sends a request without the API key and without a body, to the request target
	 * exactly as given (not resolved or normalised: {@code //}, {@code /./} and
	 * {@code /../} stay as they are).
	 */
	ApiResponse sendWithoutKey(String method, String pathAndQuery) {
		return send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + pathAndQuery))
			.timeout(Duration.ofSeconds(20))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build());
	}

	/**
	 * Sends a body of unknown length: HTTP/2 DATA frames without {@code Content-Length}.
	 */
	ApiResponse postStream(String path, InputStream body) {
		return send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.header(GatewayClient.API_KEY, apiKey)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
			.build());
	}

	private ApiResponse send(HttpRequest request) {
		try {
			return new ApiResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return a new TLS connection that speaks HTTP/1.1 (ALPN), for hand-written requests
	 */
	Raw openRaw() throws IOException {
		SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { "http/1.1" });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		return new Raw(socket);
	}

	/** A bare HTTP/1.1-over-TLS connection. */
	static final class Raw implements AutoCloseable {

		private final SSLSocket socket;

		private final InputStream in;

		private Raw(SSLSocket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
		}

		void send(String text) throws IOException {
			send(text.getBytes(StandardCharsets.ISO_8859_1));
		}

		void send(byte[] bytes) throws IOException {
			socket.getOutputStream().write(bytes);
			socket.getOutputStream().flush();
		}

		/**
		 * @return one response (status line, headers, {@code Content-Length} body) as
		 * text
		 */
		String readResponse(Duration timeout) throws IOException {
			socket.setSoTimeout((int) timeout.toMillis());
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
				int b = in.read();
				if (b < 0) {
					throw new IOException("Closed after: " + head.toString(StandardCharsets.ISO_8859_1));
				}
				head.write(b);
			}
			String headers = head.toString(StandardCharsets.ISO_8859_1);
			int length = headers.lines()
				.filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
				.map(line -> Integer.parseInt(line.substring(15).trim()))
				.findFirst()
				.orElse(0);
			return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
		}

		/**
		 * @return whether the server closed the connection within {@code timeout}
		 */
		boolean closedWithin(Duration timeout) throws IOException {
			socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
			try {
				while (in.read() >= 0) {
					// skip what it sends
				}
				return true;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				return true;
			}
		}

		@Override
		public void close() throws IOException {
			socket.close();
		}

	}

	/**
	 * Asserts the answer is a problem detail with that status (RFC 9457), and nothing
	 * internal.
	 */
	static void assertProblem(String rawResponse, int status) {
		assertThat(rawResponse).as(rawResponse)
			.startsWith("HTTP/1.1 " + status)
			.containsIgnoringCase("content-type: application/problem+json")
			.contains("\"status\":" + status)
			.doesNotContain("Exception");
	}

}
