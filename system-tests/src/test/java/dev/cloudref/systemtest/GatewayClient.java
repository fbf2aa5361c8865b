package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS client for the gateway: HTTP/2, trusting only the gateway's generated
 * certificate (as {@code curl --cacert} does), sending the API key unless told not to.
 */
final class GatewayClient {

	static final String API_KEY = "X-API-Key";

	private final URI base;

	private final String apiKey;

	private final HttpClient http;

	GatewayClient(URI base, Path certificate, String apiKey) {
		this.base = base;
		this.apiKey = apiKey;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.sslContext(trusting(certificate))
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	ApiResponse get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	ApiResponse post(String path, String json, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/** A request with exactly the given headers (name, value, ...) and no API key. */
	ApiResponse anonymous(String method, String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15));
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return send(builder.method(method, HttpRequest.BodyPublishers.noBody()));
	}

	/**
	 * A request with a body and exactly the given headers (name, value, ...), no API key.
	 */
	ApiResponse anonymousWithBody(String method, String path, String contentType, String body, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
			.timeout(Duration.ofSeconds(15))
			.header("Content-Type", contentType);
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return send(builder.method(method, HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * @return the status of a GET, or -1 if the gateway could not be reached
	 */
	int tryStatus(String path) {
		try {
			return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private HttpRequest.Builder request(String path, String... headers) {
		List<String> all = new ArrayList<>(List.of(API_KEY, apiKey));
		all.addAll(List.of(headers));
		return HttpRequest.newBuilder(base.resolve(path))
			.timeout(Duration.ofSeconds(15))
			.headers(all.toArray(String[]::new));
	}

	private ApiResponse send(HttpRequest.Builder request) {
		try {
			return new ApiResponse(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return a TLS context that trusts exactly the given (the gateway's) certificate
	 */
	static SSLContext trusting(Path certificate) {
		try (InputStream in = Files.newInputStream(certificate)) {
			Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("gateway", cert);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
