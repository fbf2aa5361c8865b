package dev.cloudref.starter.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Gives the embedded H2 file databases of a data directory a generated password instead
 * of H2's empty one for {@code sa}.
 *
 * <p>When {@code spring.r2dbc.url} is an H2 file URL ({@code r2dbc:h2:file:...}) and no
 * password is configured ({@code spring.r2dbc.password} empty), the password is read
 * from {@value #PASSWORD_FILE} in {@code cloudref.data-dir}, which the first process to
 * get here creates: 32 random bytes, Base64url, owner-only (mode 600 where the file
 * system has POSIX permissions). Every instance and service sharing the directory
 * reads the same file, so they can keep opening each other's {@code AUTO_SERVER}
 * databases. The password applies to {@code spring.r2dbc.password} and
 * {@code spring.flyway.password}; H2 sets it when it creates a database.
 *
 * <p>A directory that already holds databases but no password file (made before this
 * existed, with the empty password) keeps the empty password, with a warning: delete the
 * directory to start over with a generated one. A password given in configuration (for
 * example {@code SPRING_R2DBC_PASSWORD}) always wins, and nothing happens for other
 * databases or without {@code cloudref.data-dir}. Registered in
 * {@code META-INF/spring.factories}.
 */
public class H2GeneratedPassword implements EnvironmentPostProcessor, Ordered {

	/** The password file's name in {@code cloudref.data-dir}. */
	public static final String PASSWORD_FILE = "h2-password";

	private static final String H2_DATABASE_SUFFIX = ".mv.db";

	private final Log log;

	/**
	 * @param logs Spring Boot's deferred logs (written once logging is set up)
	 */
	public H2GeneratedPassword(DeferredLogFactory logs) {
		this.log = logs.getLog(H2GeneratedPassword.class);
	}

	/**
	 * @param environment the application's environment, after its configuration files
	 * are read
	 * @param application the application
	 * @throws UncheckedIOException if the password file can be neither read nor created
	 */
	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.r2dbc.url", "");
		String dataDir = environment.getProperty("cloudref.data-dir");
		if (!url.startsWith("r2dbc:h2:file:") || !StringUtils.hasText(dataDir)
				|| StringUtils.hasLength(environment.getProperty("spring.r2dbc.password"))) {
			return;
		}
		Path directory = Path.of(dataDir);
		String password;
		try {
			password = readOrCreate(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create " + directory.resolve(PASSWORD_FILE), ex);
		}
		if (password == null) {
			log.warn(directory + " holds H2 databases made with an empty password and no " + PASSWORD_FILE
					+ "; they keep the empty password. Delete the directory to start over with a generated one.");
			return;
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("cloudref-h2-generated-password",
					Map.of("spring.r2dbc.password", password, "spring.flyway.password", password)));
	}

	/**
	 * @return the directory's password, made now if it has none and no database yet;
	 * null if it has databases but no password file
	 */
	static String readOrCreate(Path directory) throws IOException {
		Path file = directory.resolve(PASSWORD_FILE);
		if (Files.exists(file)) {
			return read(file);
		}
		if (hasDatabases(directory)) {
			return null;
		}
		Files.createDirectories(directory);
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		// Written whole to a private temporary file, then linked into place: a process
		// starting at the same moment sees either no file or the complete one, and of two
		// processes racing, the second link fails and that process reads the first's.
		Path temporary = Files.createTempFile(directory, PASSWORD_FILE, ".tmp");
		try {
			restrictToOwner(temporary);
			Files.writeString(temporary, password, StandardCharsets.US_ASCII);
			link(temporary, file);
			return password;
		}
		catch (FileAlreadyExistsException ex) {
			return read(file);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void link(Path temporary, Path file) throws IOException {
		try {
			Files.createLink(file, temporary);
		}
		catch (FileAlreadyExistsException ex) {
			throw ex;
		}
		catch (UnsupportedOperationException | FileSystemException ex) {
			// No hard links here: a plain move, which still refuses an existing file.
			Files.move(temporary, file);
		}
	}

	private static String read(Path file) throws IOException {
		String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
		if (password.isEmpty()) {
			throw new IOException(file + " is empty");
		}
		return password;
	}

	private static boolean hasDatabases(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return false;
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.anyMatch(f -> f.getFileName().toString().endsWith(H2_DATABASE_SUFFIX));
		}
	}

	private static void restrictToOwner(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// No POSIX permissions (e.g. Windows): the directory's own access rules apply.
		}
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
