package dev.cloudref.launcher;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The questions the launcher asks the running system over HTTP: is an app ready, how many
 * instances of an app are UP in a registry, what does a request through the gateway
 * answer. Every probe returns a value (never throws) so that it can be polled.
 */
public final class Probes {

	private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private HttpClient gateway;

	private Path gatewayCertificate;

	/**
	 * @param port the management port
	 * @param path the health path, e.g. {@code /actuator/health/readiness}
	 * @return true when it answers 200 with status UP
	 */
	public boolean ready(int port, String path) {
		HttpResponse<String> response = get(http, URI.create("http://127.0.0.1:" + port + path), Map.of());
		return response != null && response.statusCode() == 200 && UP.matcher(response.body()).find();
	}

	/**
	 * @param registryPort a Eureka server's port
	 * @param application the registry application name, e.g. {@code USER-SERVICE}
	 * @param authorization the {@code Authorization} header the registry takes
	 * ({@link RegistryCredentials#authorization()})
	 * @return the number of its instances with status UP; 0 when it has none or the
	 * registry does not answer (or refuses the credentials)
	 */
	public int registeredUp(int registryPort, String application, String authorization) {
		HttpResponse<String> response = get(http,
				URI.create("http://127.0.0.1:" + registryPort + "/eureka/apps/" + application),
				Map.of("Authorization", authorization));
		if (response == null || response.statusCode() != 200) {
			return 0;
		}
		int count = 0;
		Matcher matcher = UP.matcher(response.body());
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	/**
	 * @param port the gateway's HTTPS port (on localhost, the name in its certificate)
	 * @param certificate the gateway's certificate (PEM), trusted for this request
	 * @param apiKey sent as {@code X-API-Key}
	 * @param pathAndQuery e.g. {@code /api/users?page=0&size=1}
	 * @return the HTTP status, or -1 when the certificate is missing or no answer came
	 */
	public synchronized int gatewayStatus(int port, Path certificate, String apiKey, String pathAndQuery) {
		HttpClient client = gatewayClient(certificate);
		if (client == null) {
			return -1;
		}
		HttpResponse<String> response = get(client, URI.create("https://localhost:" + port + pathAndQuery),
				Map.of("X-API-Key", apiKey));
		return (response != null) ? response.statusCode() : -1;
	}

	private HttpClient gatewayClient(Path certificate) {
		if (gateway != null && certificate.equals(gatewayCertificate)) {
			return gateway;
		}
		if (!Files.isRegularFile(certificate)) {
			return null;
		}
		try (InputStream in = Files.newInputStream(certificate)) {
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			int i = 0;
			for (Certificate each : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				trusted.setCertificateEntry("gateway-" + i++, each);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext tls = SSLContext.getInstance("TLS");
			tls.init(null, trust.getTrustManagers(), null);
			gateway = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(tls).build();
			gatewayCertificate = certificate;
			return gateway;
		}
		catch (IOException | GeneralSecurityException ex) {
			return null; // being written: the next poll reads it again
		}
	}

	private static HttpResponse<String> get(HttpClient client, URI uri, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(5));
		headers.forEach(request::header);
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
