package dev.cloudref.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The demo's API key: {@code DEMO_API_KEY} if set, else the one in
 * {@code .local/api-key}, else a new random one written there (owner-only). The gateway
 * only ever gets its SHA-256 hash.
 *
 * @param value the key
 * @param source where it came from, for the launcher's output
 */
public record ApiKey(String value, String source) {

	/**
	 * @param file {@code .local/api-key}
	 * @param fromEnvironment {@code DEMO_API_KEY}, or null
	 * @return the key
	 * @throws IOException if the file cannot be read or written
	 * @throws IllegalArgumentException if the key holds characters other than letters,
	 * digits and {@code . _ ~ + / = -}
	 */
	static ApiKey resolve(Path file, String fromEnvironment) throws IOException {
		LocalSecret secret = LocalSecret.resolve(file, "DEMO_API_KEY", fromEnvironment);
		ApiKey key = new ApiKey(secret.value(), secret.source());
		if (!key.value.matches("[A-Za-z0-9._~+/=-]+")) {
			throw new IllegalArgumentException("the API key may only contain letters, digits and . _ ~ + / = - "
					+ "(check DEMO_API_KEY or .local/api-key)");
		}
		return key;
	}

	/**
	 * @return the key's SHA-256 as lower-case hex, what {@code GATEWAY_API_KEYS} takes
	 */
	String sha256() {
		return sha256Hex(value);
	}

	/**
	 * @param value any text
	 * @return its SHA-256 (of the UTF-8 bytes) as lower-case hex
	 */
	public static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Creates an empty file that only its owner may read, from the start (no window). */
	static void createOwnerOnly(Path file) throws IOException {
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		else {
			Files.createFile(file);
		}
	}

	/** rw for the owner only where the file system has POSIX permissions. */
	static void ownerOnly(Path path) throws IOException {
		try {
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Windows: the user's profile directory is private already.
		}
	}

}
