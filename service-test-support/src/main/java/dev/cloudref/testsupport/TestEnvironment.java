package dev.cloudref.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of a whole service runs against, as a JUnit extension in a static
 * {@code @RegisterExtension} field: the service's file database in a temporary
 * {@code cloudref.data-dir} and the {@link FakeService}s that play its dependencies.
 */
public final class TestEnvironment implements AfterAllCallback {

	private final Path dataDir;

	private final List<FakeService> dependencies;

	/**
	 * Creates the data directory at once, so that it exists whenever Spring asks for the
	 * properties.
	 * @param dependencies the fakes of the services the service calls, if any
	 * @throws IOException if the directory cannot be created
	 */
	public TestEnvironment(FakeService... dependencies) throws IOException {
		this.dataDir = Files.createTempDirectory("cloudref-test-data");
		this.dependencies = List.of(dependencies);
	}

	/**
	 * For a static field initializer, which cannot throw checked exceptions.
	 * @param dependencies the fakes of the services the service calls, if any
	 * @return a new environment
	 * @throws java.io.UncheckedIOException if the directory cannot be created
	 */
	public static TestEnvironment of(FakeService... dependencies) {
		try {
			return new TestEnvironment(dependencies);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return an environment with a data directory and no fake dependencies
	 * @throws java.io.UncheckedIOException if the directory cannot be created
	 */
	public static TestEnvironment withoutDependencies() {
		return of();
	}

	/**
	 * Starts the fakes (once) and tells where everything is.
	 * @return {@code cloudref.data-dir} and each fake's registration as the only instance
	 * of its service
	 */
	Map<String, Object> properties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("cloudref.data-dir", dataDir.toString());
		dependencies.forEach(dependency -> properties.putAll(dependency.properties()));
		return properties;
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		dependencies.forEach(FakeService::close);
		TestDatabases.shutDownAll(dataDir);
		try (Stream<Path> files = Files.walk(dataDir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
