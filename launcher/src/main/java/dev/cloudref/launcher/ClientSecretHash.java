package dev.cloudref.launcher;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes an OAuth client secret the way the authorization server stores it: Spring
 * Security's {@code DelegatingPasswordEncoder} format with its PBKDF2 defaults of version
 * 5.8 ({@code {pbkdf2@SpringSecurity_v5_8}} then hex of a 16-byte random salt followed by
 * PBKDF2-HMAC-SHA256 over 310,000 iterations, 256 bits; RFC 8018 §5.2). The launcher has
 * no Spring on its class path, so it computes the same bytes with the JDK; auth-server's
 * tests check that Spring Security accepts them.
 */
public final class ClientSecretHash {

	private static final String ID = "{pbkdf2@SpringSecurity_v5_8}";

	private static final int SALT_BYTES = 16;

	private static final int ITERATIONS = 310_000;

	private static final int HASH_BITS = 256;

	private ClientSecretHash() {
	}

	/**
	 * @param secret the client secret
	 * @return its hash, e.g. {@code {pbkdf2@SpringSecurity_v5_8}3f9a...} (96 hex digits
	 * after the id), a new salt each time
	 */
	public static String of(String secret) {
		byte[] salt = new byte[SALT_BYTES];
		new SecureRandom().nextBytes(salt);
		try {
			byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
				.generateSecret(new PBEKeySpec(secret.toCharArray(), salt, ITERATIONS, HASH_BITS))
				.getEncoded();
			byte[] encoded = new byte[salt.length + hash.length];
			System.arraycopy(salt, 0, encoded, 0, salt.length);
			System.arraycopy(hash, 0, encoded, salt.length, hash.length);
			return ID + HexFormat.of().formatHex(encoded);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", ex);
		}
	}

}
