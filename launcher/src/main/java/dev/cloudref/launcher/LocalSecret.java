package dev.cloudref.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret of the local demo (API key, registry password, OAuth client secret): from an
 * environment variable if set, else from its file under {@code .local/}, else 24 random
 * bytes as hex written there, readable by the owner only.
 *
 * @param value the secret
 * @param source where it came from, e.g. {@code generated into .local/api-key}, for the
 * launcher's output
 */
record LocalSecret(String value, String source) {

	/**
	 * @param file its file, e.g. {@code .local/api-key}
	 * @param variable the environment variable that overrides the file
	 * @param fromEnvironment that variable's value, or null
	 * @return the secret
	 * @throws IOException if the file cannot be read or written
	 */
	static LocalSecret resolve(Path file, String variable, String fromEnvironment) throws IOException {
		String shown = ".local/" + file.getFileName();
		if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
			return new LocalSecret(fromEnvironment, "from " + variable);
		}
		String stored = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
		if (!stored.isEmpty()) {
			ApiKey.ownerOnly(file);
			return new LocalSecret(stored, "from " + shown);
		}
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		LocalSecret secret = new LocalSecret(HexFormat.of().formatHex(random), "generated into " + shown);
		Files.deleteIfExists(file);
		ApiKey.createOwnerOnly(file);
		Files.writeString(file, secret.value + "\n");
		return secret;
	}

}
