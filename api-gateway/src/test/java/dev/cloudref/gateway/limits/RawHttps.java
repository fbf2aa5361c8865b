package dev.cloudref.gateway.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A bare HTTP/1.1-over-TLS connection to the gateway, for what well-behaved clients never
 * do: send a request in pieces, slowly, or malformed.
 */
final class RawHttps implements AutoCloseable {

	private final SSLSocket socket;

	private final InputStream in;

	private RawHttps(SSLSocket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	/**
	 * Opens a TLS connection (ALPN {@code http/1.1}) trusting only {@code certificate}.
	 */
	static RawHttps open(int port, Path certificate) throws Exception {
		return new RawHttps(connect(port, certificate, "http/1.1"));
	}

	/**
	 * @param protocol the one ALPN protocol offered ({@code http/1.1} or {@code h2})
	 * @return a TLS socket to localhost, handshake done, trusting only
	 * {@code certificate}
	 */
	static SSLSocket connect(int port, Path certificate, String protocol) throws Exception {
		SSLSocket socket = (SSLSocket) trusting(certificate).getSocketFactory().createSocket("localhost", port);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { protocol });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		return socket;
	}

	/**
	 * @return a TLS context that trusts only {@code certificate} (PEM)
	 */
	static SSLContext trusting(Path certificate) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream cert = Files.newInputStream(certificate)) {
			trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(cert));
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, trustManagers.getTrustManagers(), null);
		return tls;
	}

	void send(String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
	}

	/**
	 * Reads one response with a {@code Content-Length} body (or none).
	 * @return status line, headers and body as text
	 */
	String readResponse(Duration timeout) throws IOException {
		socket.setSoTimeout((int) timeout.toMillis());
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
			}
			head.write(b);
		}
		String headers = head.toString(StandardCharsets.ISO_8859_1);
		int length = headers.lines()
			.filter(line -> line.toLowerCase().startsWith("content-length:"))
			.map(line -> Integer.parseInt(line.substring(15).trim()))
			.findFirst()
			.orElse(0);
		return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

	/**
	 * Waits until the server closes the connection.
	 * @return true if it closed within {@code timeout}; bytes it sends are skipped
	 */
	boolean closedWithin(Duration timeout) throws IOException {
		socket.setSoTimeout((int) timeout.toMillis());
		try {
			while (in.read() >= 0) {
				// skip
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// reset by the server: closed too
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
