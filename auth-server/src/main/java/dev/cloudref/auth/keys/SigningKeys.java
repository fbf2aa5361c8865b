package dev.cloudref.auth.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token signing keys, kept as files in one directory: RSA 2048 JWKs (RFC 7517) with
 * their private parts and issue time, one JSON file per key, readable by the owner only.
 * The newest key signs; it and the one before it are published (JWK Set), so tokens
 * signed before a rotation still verify. Made on first start; {@link #rotateIfDue()} adds
 * a key when the newest is older than the rotation period and deletes all but the newest
 * two.
 * <p>
 * Thread-safe: readers see one consistent snapshot of the keys.
 */
public class SigningKeys {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	private static final String SUFFIX = ".jwk.json";

	private final Path dir;

	private final Duration rotationPeriod;

	private final Clock clock;

	private volatile List<RSAKey> keys;

	/**
	 * Reads the keys in {@code dir}, making the directory and a first key if there are
	 * none.
	 * @param dir the keys' directory
	 * @param rotationPeriod the age of the newest key at which a new one is made
	 * @param clock the time
	 * @throws UncheckedIOException if the directory cannot be read or written
	 * @throws IllegalStateException if a key file is not a private RSA JWK with an issue
	 * time
	 */
	public SigningKeys(Path dir, Duration rotationPeriod, Clock clock) {
		this.dir = dir;
		this.rotationPeriod = rotationPeriod;
		this.clock = clock;
		this.keys = read();
		if (this.keys.isEmpty()) {
			add();
		}
		log.info("Signing keys in {}: {} (signing with {})", dir, ids(), current().getKeyID());
	}

	/**
	 * @return the key that signs new tokens (the newest)
	 */
	public RSAKey current() {
		return keys.get(0);
	}

	/**
	 * @return the keys to publish: the signing key and the one before it, private parts
	 * included (the JWK Set endpoint publishes the public parts only)
	 */
	public JWKSet published() {
		return new JWKSet(new ArrayList<>(keys));
	}

	/**
	 * Makes a new signing key if the newest is older than the rotation period, and
	 * deletes every key but the newest two.
	 * @return true if a key was made
	 */
	public synchronized boolean rotateIfDue() {
		Instant newest = current().getIssueTime().toInstant();
		if (Duration.between(newest, clock.instant()).compareTo(rotationPeriod) < 0) {
			return false;
		}
		add();
		log.info("Rotated the signing key: now signing with {}, still publishing {}", current().getKeyID(), ids());
		return true;
	}

	private synchronized void add() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyID(UUID.randomUUID().toString())
				.issueTime(Date.from(clock.instant()))
				.generate();
			Files.createDirectories(dir);
			Path file = dir.resolve(key.getKeyID() + SUFFIX);
			if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			Files.writeString(file, key.toJSONString());
			List<RSAKey> updated = new ArrayList<>(keys == null ? List.of() : keys);
			updated.add(0, key);
			while (updated.size() > 2) {
				RSAKey retired = updated.remove(updated.size() - 1);
				Files.deleteIfExists(dir.resolve(retired.getKeyID() + SUFFIX));
			}
			keys = List.copyOf(updated);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not make a signing key", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write a signing key to " + dir, ex);
		}
	}

	private List<RSAKey> read() {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		List<RSAKey> found = new ArrayList<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
				RSAKey key = RSAKey.parse(Files.readString(file));
				if (!key.isPrivate() || key.getIssueTime() == null) {
					throw new IllegalStateException(file + " is not a private RSA JWK with an issue time (iat)");
				}
				found.add(key);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the signing keys in " + dir, ex);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A signing key in " + dir + " is not a JWK: " + ex.getMessage(), ex);
		}
		found.sort(Comparator.comparing(RSAKey::getIssueTime).reversed());
		return List.copyOf(found);
	}

	private List<String> ids() {
		return keys.stream().map(RSAKey::getKeyID).toList();
	}

}
