package dev.cloudref.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Checks the configured clients at start: a token must not outlive the signing key's
 * publication (a token that lives longer than the rotation period could be presented
 * after its key is gone), so such a setting stops the start; a client without a secret
 * hash cannot get tokens, which is logged.
 */
@Component
class ClientSettingsCheck implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(ClientSettingsCheck.class);

	private final OAuth2AuthorizationServerProperties server;

	private final AuthProperties auth;

	ClientSettingsCheck(OAuth2AuthorizationServerProperties server, AuthProperties auth) {
		this.server = server;
		this.auth = auth;
	}

	/**
	 * @throws IllegalStateException if a client's access tokens live longer than
	 * {@code cloudref.auth.keys.rotation-period}
	 */
	@Override
	public void afterPropertiesSet() {
		Duration rotation = auth.keys().rotationPeriod();
		for (Map.Entry<String, OAuth2AuthorizationServerProperties.Client> entry : server.getClient().entrySet()) {
			OAuth2AuthorizationServerProperties.Client client = entry.getValue();
			Duration lifetime = client.getToken().getAccessTokenTimeToLive();
			if (lifetime.compareTo(rotation) > 0) {
				throw new IllegalStateException("Access tokens of client " + entry.getKey() + " live " + lifetime
						+ ", longer than the signing keys' rotation period " + rotation
						+ " (cloudref.auth.keys.rotation-period): a token could outlive its key's publication");
			}
			boolean publicClient = client.getRegistration().getClientAuthenticationMethods().contains("none");
			if (!publicClient && !StringUtils.hasText(client.getRegistration().getClientSecret())) {
				log.warn("Client {} has no secret hash ({}): it cannot get tokens", entry.getKey(),
						"AUTH_" + entry.getKey().toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET_HASH");
			}
		}
	}

}
