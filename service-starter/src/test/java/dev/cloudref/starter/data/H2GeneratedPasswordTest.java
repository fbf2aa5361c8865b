package dev.cloudref.starter.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class H2GeneratedPasswordTest {

	@TempDir
	Path dataDir;

	@Test
	void generatesAnOwnerOnlyPasswordThatProtectsTheDatabasesItCreates() throws Exception {
		MockEnvironment environment = h2Environment();

		process(environment);

		Path file = dataDir.resolve(H2GeneratedPassword.PASSWORD_FILE);
		assertThat(file).as("made when the password is first read").doesNotExist();
		String password = environment.getProperty("spring.r2dbc.password");
		assertThat(Files.readString(file)).isEqualTo(password);
		assertThat(password).hasSizeGreaterThanOrEqualTo(40);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(environment.getProperty("spring.flyway.password")).isEqualTo(password);
		String url = "jdbc:h2:file:" + dataDir + "/users";
		try (Connection connection = DriverManager.getConnection(url, "sa", password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE t (id INT)");
			statement.execute("SHUTDOWN");
		}
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> DriverManager.getConnection(url, "sa", ""))
			.withMessageContaining("Wrong user name or password");
	}

	@Test
	void everyProcessOfTheDirectoryGetsTheSamePassword() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<String>> starts = IntStream.range(0, 8)
				.<Callable<String>>mapToObj(i -> () -> H2GeneratedPassword.readOrCreate(dataDir))
				.toList();
			List<String> passwords = pool.invokeAll(starts).stream().map(H2GeneratedPasswordTest::get).toList();
			assertThat(passwords).doesNotContainNull().containsOnly(passwords.get(0));
		}
		finally {
			pool.shutdownNow();
		}
		MockEnvironment later = h2Environment();
		process(later);
		assertThat(later.getProperty("spring.r2dbc.password"))
			.isEqualTo(Files.readString(dataDir.resolve(H2GeneratedPassword.PASSWORD_FILE)));
		try (var files = Files.list(dataDir)) {
			assertThat(files).as("no temporary file left").hasSize(1);
		}
	}

	@Test
	void usesTheDataDirectoryThatIsSetWhenThePasswordIsRead(@TempDir Path later) throws Exception {
		// A test's dynamic properties name the data directory after the post-processors
		// ran.
		MockEnvironment environment = new MockEnvironment().withProperty("cloudref.data-dir", dataDir.toString())
			.withProperty("spring.r2dbc.url", "r2dbc:h2:file:///${cloudref.data-dir}/users;AUTO_SERVER=TRUE")
			.withProperty("spring.r2dbc.password", "");
		process(environment);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("dynamic", Map.of("cloudref.data-dir", later.toString())));

		String password = environment.getProperty("spring.r2dbc.password");

		assertThat(later.resolve(H2GeneratedPassword.PASSWORD_FILE)).hasContent(password);
		assertThat(dataDir.resolve(H2GeneratedPassword.PASSWORD_FILE)).doesNotExist();
	}

	@Test
	void keepsTheEmptyPasswordOfDatabasesMadeBeforeIt() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dataDir + "/orders", "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
		MockEnvironment environment = h2Environment();

		process(environment);

		assertThat(environment.getProperty("spring.r2dbc.password")).isEmpty();
		assertThat(dataDir.resolve(H2GeneratedPassword.PASSWORD_FILE)).doesNotExist();
	}

	@Test
	void leavesAConfiguredPasswordAndOtherDatabasesAlone() {
		MockEnvironment configured = h2Environment().withProperty("spring.r2dbc.password", "from-env");
		process(configured);
		assertThat(configured.getProperty("spring.r2dbc.password")).isEqualTo("from-env");

		MockEnvironment postgres = h2Environment().withProperty("spring.r2dbc.url",
				"r2dbc:postgresql://localhost:5432/users");
		process(postgres);
		assertThat(postgres.getProperty("spring.r2dbc.password")).isEmpty();

		MockEnvironment inMemory = h2Environment().withProperty("spring.r2dbc.url", "r2dbc:h2:mem:///users");
		process(inMemory);
		assertThat(inMemory.getProperty("spring.r2dbc.password")).isEmpty();

		assertThat(dataDir.resolve(H2GeneratedPassword.PASSWORD_FILE)).doesNotExist();
	}

	private MockEnvironment h2Environment() {
		return new MockEnvironment().withProperty("cloudref.data-dir", dataDir.toString())
			.withProperty("spring.r2dbc.url", "r2dbc:h2:file:///" + dataDir + "/users;AUTO_SERVER=TRUE")
			.withProperty("spring.r2dbc.password", "");
	}

	private static void process(MockEnvironment environment) {
		Log log = LogFactory.getLog(H2GeneratedPasswordTest.class);
		new H2GeneratedPassword(type -> log).postProcessEnvironment(environment, new SpringApplication());
	}

	private static String get(Future<String> future) {
		try {
			return future.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
