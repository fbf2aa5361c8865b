package dev.cloudref.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The services' embedded H2 databases in tests: the application's own file database in a
 * temporary data directory, or a private in-memory one.
 */
public final class TestDatabases {

	private static final String H2_FILE_SUFFIX = ".mv.db";

	private TestDatabases() {
	}

	/**
	 * Gives the application (R2DBC and Flyway) an in-memory database of its own, kept for
	 * the life of the JVM.
	 * @param registry the test's dynamic properties
	 * @param name the database's name, unique per test class
	 */
	public static void inMemory(DynamicPropertyRegistry registry, String name) {
		registry.add("spring.r2dbc.url", () -> "r2dbc:h2:mem:///" + name + ";DB_CLOSE_DELAY=-1");
		registry.add("spring.flyway.url", () -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
	}

	/**
	 * Closes the file databases in a data directory so that {@code @TempDir} can delete
	 * their files: the application's URL keeps them open for the life of the JVM
	 * ({@code DB_CLOSE_DELAY=-1}).
	 * @param dataDir the application's {@code cloudref.data-dir}
	 * @throws SQLException if a database cannot be reached
	 * @throws IOException if the directory cannot be listed
	 */
	public static void shutDownAll(Path dataDir) throws SQLException, IOException {
		List<String> names;
		try (Stream<Path> files = Files.list(dataDir)) {
			names = files.map(file -> file.getFileName().toString())
				.filter(file -> file.endsWith(H2_FILE_SUFFIX))
				.map(file -> file.substring(0, file.length() - H2_FILE_SUFFIX.length()))
				.toList();
		}
		// service-starter's H2GeneratedPassword keeps the directory's password there.
		Path passwordFile = dataDir.resolve("h2-password");
		String password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : "";
		for (String name : names) {
			String url = "jdbc:h2:file:" + dataDir + "/" + name + ";AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1";
			try (Connection connection = DriverManager.getConnection(url, "sa", password);
					Statement statement = connection.createStatement()) {
				statement.execute("SHUTDOWN");
			}
		}
	}

}
