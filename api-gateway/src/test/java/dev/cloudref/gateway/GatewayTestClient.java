package dev.cloudref.gateway;

import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

import dev.cloudref.gateway.tls.SelfSignedCertificate;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A {@link WebTestClient} for a gateway started by a test: HTTPS to {@code localhost},
 * trusting only the self-signed certificate the gateway made in its
 * {@code gateway.tls.dir} (the host name is checked against its subject alternative
 * names), answers awaited up to 20 s (the machine may be busy).
 */
public final class GatewayTestClient {

	private GatewayTestClient() {
	}

	/**
	 * @param tlsDir the gateway's {@code gateway.tls.dir}, holding its certificate
	 * @param port the gateway's HTTPS port
	 * @return a client with base URL {@code https://localhost:<port>}
	 * @throws SSLException if the certificate cannot be read
	 */
	public static WebTestClient https(Path tlsDir, int port) throws SSLException {
		SslContext ssl = SslContextBuilder.forClient()
			.trustManager(tlsDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE).toFile())
			.build();
		HttpClient httpClient = HttpClient.create().secure(spec -> spec.sslContext(ssl));
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(httpClient))
			.baseUrl("https://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

}
