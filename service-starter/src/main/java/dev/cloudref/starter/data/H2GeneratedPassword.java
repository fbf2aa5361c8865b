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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Gives the H2 file databases in {@code cloudref.data-dir} a generated password for
 * {@code sa} instead of H2's empty one, kept in {@value #PASSWORD_FILE} for every
 * instance sharing the directory. Registered in {@code META-INF/spring.factories}.
 */
public class H2GeneratedPassword implements EnvironmentPostProcessor, Ordered {

	/** The password file's name in {@code cloudref.data-dir}. */
	public static final String PASSWORD_FILE = "h2-password";

	/** The name of the property source this adds. */
	public static final String PROPERTY_SOURCE_NAME = "cloudref-h2-generated-password";

	private static final String H2_DATABASE_SUFFIX = ".mv.db";

	private static final String R2DBC_PASSWORD = "spring.r2dbc.password";

	private static final Set<String> PASSWORD_PROPERTIES = Set.of(R2DBC_PASSWORD, "spring.flyway.password");

	/** Spring Boot's {@code ConfigurationPropertySources} attached source. */
	private static final String ATTACHED_SOURCE_NAME = "configurationProperties";

	private final Log log;

	/**
	 * @param logs Spring Boot's deferred logs (written once logging is set up)
	 */
	public H2GeneratedPassword(DeferredLogFactory logs) {
		this.log = logs.getLog(H2GeneratedPassword.class);
	}

	/**
	 * Adds the property source; it reads or creates the password file when a password
	 * property is first read, and then throws {@link UncheckedIOException} if the file
	 * can be neither read nor created. Not earlier: the data directory may still change
	 * after this runs, as a test's dynamic properties do.
	 * @param environment the application's environment, after its configuration files are
	 * read
	 * @param application the application
	 */
	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		// Without H2 the app has no H2 database (the gateway), whatever the shared
		// configuration says about databases.
		if (sources.contains(PROPERTY_SOURCE_NAME)
				|| !ClassUtils.isPresent("org.h2.Driver", H2GeneratedPassword.class.getClassLoader())) {
			return;
		}
		GeneratedPasswordSource source = new GeneratedPasswordSource(environment, log);
		// Behind Spring Boot's attached view of all sources, which must stay first.
		if (sources.contains(ATTACHED_SOURCE_NAME)) {
			sources.addAfter(ATTACHED_SOURCE_NAME, source);
		}
		else {
			sources.addFirst(source);
		}
	}

	/**
	 * Answers {@code spring.r2dbc.password} and {@code spring.flyway.password} with the
	 * data directory's generated password, decided when they are read.
	 */
	private static final class GeneratedPasswordSource extends EnumerablePropertySource<Map<Path, Optional<String>>> {

		private static final String[] NAMES = PASSWORD_PROPERTIES.toArray(String[]::new);

		private final ConfigurableEnvironment environment;

		private final Log log;

		/**
		 * @param environment read when a password is asked for; not this source's
		 * {@code getSource()}, since Spring Boot descends into a source whose source is
		 * an environment, and this one is part of it
		 */
		GeneratedPasswordSource(ConfigurableEnvironment environment, Log log) {
			// The source: per data directory, its password, or empty to keep H2's empty
			// one.
			super(PROPERTY_SOURCE_NAME, new ConcurrentHashMap<>());
			this.environment = environment;
			this.log = log;
		}

		/**
		 * The two names, listed so that Spring Boot's binder knows that nothing else is
		 * here (a source without names counts as possibly holding anything, and binding
		 * then explores every nested property).
		 */
		@Override
		public String[] getPropertyNames() {
			return NAMES.clone();
		}

		@Override
		public Object getProperty(String name) {
			if (!PASSWORD_PROPERTIES.contains(name)) {
				return null;
			}
			String url = environment.getProperty("spring.r2dbc.url", "");
			String dataDir = environment.getProperty("cloudref.data-dir");
			if (!url.startsWith("r2dbc:h2:file:") || !StringUtils.hasText(dataDir) || passwordConfigured()) {
				return null;
			}
			Path directory = Path.of(dataDir).toAbsolutePath().normalize();
			return getSource().computeIfAbsent(directory, this::passwordOf).orElse(null);
		}

		/**
		 * Whether a source behind this one gives {@code spring.r2dbc.password} a value.
		 */
		private boolean passwordConfigured() {
			for (PropertySource<?> source : environment.getPropertySources()) {
				if (source == this || ATTACHED_SOURCE_NAME.equals(source.getName())) {
					continue;
				}
				Object value = source.getProperty(R2DBC_PASSWORD);
				if (value != null) {
					return StringUtils.hasLength(environment.resolvePlaceholders(value.toString()));
				}
			}
			return false;
		}

		private Optional<String> passwordOf(Path directory) {
			try {
				String password = readOrCreate(directory);
				if (password == null) {
					log.warn(directory + " holds H2 databases made with an empty password and no " + PASSWORD_FILE
							+ "; they keep the empty password. Delete the directory to start over with a generated one.");
				}
				return Optional.ofNullable(password);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read or create " + directory.resolve(PASSWORD_FILE), ex);
			}
		}

	}

	/**
	 * @return the directory's password, made now if it has none and no database yet; null
	 * if it has databases but no password file
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
			// No POSIX permissions (e.g. Windows): the directory's own access rules
			// apply.
		}
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
