package dev.cloudref.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Checks presented API keys against the configured SHA-256 hashes, comparing with every
 * stored hash in constant time ({@link MessageDigest#isEqual}) without stopping at a
 * match, so timing tells nothing about which key or how much of one matched.
 */
@Component
public class ApiKeyRegistry {

	private static final Logger log = LoggerFactory.getLogger(ApiKeyRegistry.class);

	private final List<StoredKey> keys;

	ApiKeyRegistry(ApiKeyProperties properties) {
		this.keys = properties.apiKeys().stream().map(StoredKey::parse).toList();
		if (keys.isEmpty()) {
			log.warn("No API keys configured (gateway.api-keys / GATEWAY_API_KEYS): every /api request will get 401");
		}
		else {
			log.info("Accepting {} API key(s): {}", keys.size(), keys.stream().map(StoredKey::id).toList());
		}
	}

	/**
	 * @param presentedKey the value of the client's {@code X-API-Key} header, may be null
	 * @return the id of the matching key, or empty if the key is missing or unknown
	 */
	public Optional<String> authenticate(String presentedKey) {
		if (presentedKey == null || presentedKey.isEmpty()) {
			return Optional.empty();
		}
		byte[] hash = sha256(presentedKey);
		String match = null;
		for (StoredKey key : keys) {
			if (MessageDigest.isEqual(hash, key.sha256()) && match == null) {
				match = key.id();
			}
		}
		return Optional.ofNullable(match);
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JDK", ex);
		}
	}

	private record StoredKey(String id, byte[] sha256) {

		static StoredKey parse(String entry) {
			int colon = entry.indexOf(':');
			return new StoredKey(entry.substring(0, colon),
					HexFormat.of().parseHex(entry.substring(colon + 1).toLowerCase(Locale.ROOT)));
		}

	}

}
