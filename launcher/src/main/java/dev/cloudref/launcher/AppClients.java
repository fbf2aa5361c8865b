package dev.cloudref.launcher;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OAuth2 clients of the apps themselves: the gateway and every service (but the
 * authorization server) get the client id of their name and a new random secret at each
 * start, never written to disk, as {@code OAUTH2_CLIENT_SECRET}; the authorization server
 * gets only its hash, as {@code AUTH_<APP>_CLIENT_SECRET_HASH} (e.g.
 * {@code AUTH_USER_SERVICE_CLIENT_SECRET_HASH}), which its {@code application.yml} names
 * for each client it knows.
 */
public final class AppClients {

	private AppClients() {
	}

	/**
	 * @param builder the plan to give the secrets to
	 * @param apps the system's apps
	 * @param authServer the authorization server's app name
	 */
	public static void configure(SystemPlan.Builder builder, List<AppSpec> apps, String authServer) {
		SecureRandom random = new SecureRandom();
		for (AppSpec app : apps) {
			boolean client = (app.role() == AppSpec.Role.GATEWAY || app.role() == AppSpec.Role.SERVICE)
					&& !app.name().equals(authServer);
			if (!client) {
				continue;
			}
			byte[] bytes = new byte[24];
			random.nextBytes(bytes);
			String secret = HexFormat.of().formatHex(bytes);
			builder.environment(app.name(), Map.of("OAUTH2_CLIENT_SECRET", secret));
			builder.environment(authServer, Map.of(hashVariable(app.name()), ClientSecretHash.of(secret)));
		}
	}

	/**
	 * @param app an app's name, e.g. {@code user-service}
	 * @return the authorization server's variable for its client's secret hash, e.g.
	 * {@code AUTH_USER_SERVICE_CLIENT_SECRET_HASH}
	 */
	public static String hashVariable(String app) {
		return "AUTH_" + app.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET_HASH";
	}

}
