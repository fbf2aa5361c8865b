package dev.cloudref.auth.login;

import java.net.URI;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

/**
 * Makes the server build every absolute URL (redirects to the login page, back to the
 * authorization request after login) with its public address, the issuer's (e.g.
 * {@code https://localhost:8443}): the gateway, which routes the login and authorization
 * endpoints here, is what a browser sees. Tomcat's own behind-a-proxy settings
 * ({@code proxyName}, {@code proxyPort}, {@code scheme}, {@code secure}), so no forwarded
 * header from the gateway needs trusting.
 */
public final class PublicAddress implements TomcatConnectorCustomizer {

	private final URI issuer;

	/**
	 * @param issuer the authorization server's issuer, an absolute {@code http(s)} URL
	 * without a path
	 * @throws IllegalArgumentException if it is not absolute
	 */
	public PublicAddress(URI issuer) {
		if (!issuer.isAbsolute() || issuer.getHost() == null) {
			throw new IllegalArgumentException("The issuer must be an absolute URL: " + issuer);
		}
		this.issuer = issuer;
	}

	@Override
	public void customize(Connector connector) {
		boolean https = "https".equalsIgnoreCase(issuer.getScheme());
		connector.setProxyName(issuer.getHost());
		connector.setProxyPort((issuer.getPort() != -1) ? issuer.getPort() : (https ? 443 : 80));
		connector.setScheme(issuer.getScheme());
		connector.setSecure(https);
	}

}
