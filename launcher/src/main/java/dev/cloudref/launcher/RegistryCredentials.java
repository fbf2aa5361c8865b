package dev.cloudref.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The registry's one account (HTTP basic, eureka-server's
 * {@code RegistrySecurityConfiguration}): the user {@code EUREKA_USER} (default
 * {@code registry}) and the password {@code EUREKA_PASSWORD}, else the one in
 * {@code .local/registry-password}, else a new random one written there.
 *
 * @param user the user name
 * @param password the password
 * @param source where the password came from, for the launcher's output
 */
public record RegistryCredentials(String user, String password, String source) {

	/**
	 * Characters that go into a URL's user-info part as they are (RFC 3986, unreserved).
	 */
	private static final String URL_SAFE = "[A-Za-z0-9._~-]+";

	/**
	 * @param user the user name
	 * @param password the password
	 * @param source where the password came from
	 * @throws IllegalArgumentException if either holds characters other than letters,
	 * digits and {@code . _ ~ -}: they travel in the apps' service URLs
	 */
	public RegistryCredentials {
		if (!user.matches(URL_SAFE) || !password.matches(URL_SAFE)) {
			throw new IllegalArgumentException("the registry's user and password may only contain letters, digits "
					+ "and . _ ~ - (check EUREKA_USER, EUREKA_PASSWORD or .local/registry-password)");
		}
	}

	/**
	 * @param file {@code .local/registry-password}
	 * @param env the launcher's environment ({@code EUREKA_USER},
	 * {@code EUREKA_PASSWORD})
	 * @return the credentials
	 * @throws IOException if the file cannot be read or written
	 */
	static RegistryCredentials resolve(Path file, Map<String, String> env) throws IOException {
		LocalSecret password = LocalSecret.resolve(file, "EUREKA_PASSWORD", env.get("EUREKA_PASSWORD"));
		return new RegistryCredentials(env.getOrDefault("EUREKA_USER", "registry"), password.value(),
				password.source());
	}

	/**
	 * @return the value of an {@code Authorization} header with these credentials (RFC
	 * 7617)
	 */
	public String authorization() {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @param host the registry's host
	 * @param port its port
	 * @return its service URL with these credentials,
	 * {@code http://user:password@host:port/eureka/}
	 */
	public String serviceUrl(String host, int port) {
		return "http://" + user + ":" + password + "@" + host + ":" + port + "/eureka/";
	}

	@Override
	public String toString() {
		return "RegistryCredentials[user=" + user + ", password=(hidden), source=" + source + "]";
	}

}
