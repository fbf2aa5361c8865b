package dev.cloudref.systemtest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cloudref.launcher.AppCatalog;
import dev.cloudref.launcher.AppProcess;
import dev.cloudref.launcher.AppSpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static dev.cloudref.systemtest.Fixtures.assertProblem;
import static dev.cloudref.systemtest.Fixtures.createUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The service template, proven: a copy of this repository gets a new service from
 * {@code tools/new-service.sh} (service-archetype plus the wiring and a system test, as
 * docs/new-service.md says), the new module's own build and tests run, and its jar starts
 * beside the running system. It registers with Eureka, and the running gateway routes
 * {@code /api/items} to it from its registration alone, with the API key, over TLS, and
 * lists its OpenAPI document in the Swagger UI; its typed client checks owners with the
 * real user-service.
 *
 * <p>
 * Runs on the embedded-H2 pass only: the new service keeps its own H2 database either
 * way, so the PostgreSQL pass would repeat the same proof.
 */
class NewServiceIT {

	private static final String SERVICE = "inventory-service";

	/** What a generated service's build may take, tests included. */
	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

	/** Not copied: build output, local state, version control. */
	private static final Set<String> SKIPPED = Set.of("target", ".local", ".git", "node_modules");

	private static LocalSystem system;

	private static GatewayClient gateway;

	/** The copy of the repository; JUnit deletes it after the class. */
	@TempDir
	static Path repository;

	private static AppProcess service;

	@BeforeAll
	static void generateBuildAndStart() throws Exception {
		assumeTrue(LocalSystem.database().equals("h2"), "the template is proven on the H2 pass");
		system = LocalSystem.get();
		gateway = system.gatewayClient();
		Path logs = system.workDir.resolve("logs");
		Path appsDir = Path.of(System.getProperty("system-tests.apps-dir", "..")).toAbsolutePath().normalize();
		copyTree(appsDir, repository);

		run(logs.resolve("new-service-script.log"), "bash", "tools/new-service.sh", SERVICE, "--resource", "item");
		assertThat(repository.resolve(SERVICE).resolve("pom.xml")).exists();
		assertThat(Files.readString(repository.resolve("pom.xml"))).contains("<module>" + SERVICE + "</module>");
		assertThat(Files.readString(repository.resolve("launcher/apps.conf")))
			.containsPattern(SERVICE + " +service +8101 +9101 +1 +inventory +/api/items\\?ownerId=");
		// The launcher (./run-local.sh, the system tests, bench/) reads it from there.
		assertThat(AppCatalog.load(repository)).anySatisfy(app -> {
			assertThat(app.name()).isEqualTo(SERVICE);
			assertThat(app.role()).isEqualTo(AppSpec.Role.SERVICE);
			assertThat(app.database()).isEqualTo("inventory");
		});
		assertThat(Files.readString(repository.resolve("docker-compose.yml"))).contains("  " + SERVICE + ":");
		// Its file in the config repository, which the running system's config server
		// serves once it is in that server's directory.
		Path configFile = repository.resolve("config-repo").resolve(SERVICE + ".yml");
		assertThat(configFile).content().contains("user-service:");
		Files.copy(configFile, system.configRepository.resolve(SERVICE + ".yml"));

		Path systemTest = repository
			.resolve("system-tests/src/test/java/dev/cloudref/systemtest/InventoryServiceIT.java");
		assertThat(systemTest).exists();

		run(logs.resolve("new-service-build.log"), mavenCommand("-pl", SERVICE, "verify"));
		// Its system test compiles against this repository's system-test harness; what it
		// checks, this class checks below against the running system.
		run(logs.resolve("new-service-system-test-compile.log"), mavenCommand("-pl", "system-tests", "test-compile"));
		assertThat(repository.resolve(SERVICE).resolve("target/surefire-reports")).isDirectoryContaining(
				path -> path.getFileName().toString().equals("TEST-dev.cloudref.inventory.ApplicationTest.xml"));

		// Its OAuth client, which auth-server's application.yml now has in the copy; the
		// running auth-server gets the same client, and the service its secret.
		assertThat(repository.resolve("auth-server/src/main/resources/application.yml")).content()
			.contains("client-id: " + SERVICE)
			.contains("${AUTH_INVENTORY_SERVICE_CLIENT_SECRET_HASH:}");
		String clientSecret = system.addClient(SERVICE, "users:read");
		service = system.startBeside(SERVICE + "-1",
				repository.resolve(SERVICE).resolve("target").resolve(SERVICE + "-" + version() + ".jar"),
				Map.of("OAUTH2_CLIENT_SECRET", clientSecret));
		system.awaitRegistered("INVENTORY-SERVICE", 1);
		// The gateway adds the route when its registry view (fetched every 2 s) has the
		// service.
		Awaitility.await("a gateway route to " + SERVICE)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> gateway.get("/api/items?ownerId=" + UUID.randomUUID()).status() == 200);
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.stop(Duration.ofSeconds(20));
		}
	}

	@Test
	void createsAndReadsThroughTheGatewayWithAnApiKey() {
		String owner = createUser(gateway).path("id").asString();

		ApiResponse created = gateway.post("/api/items", "{\"name\":\"Lamp\",\"ownerId\":\"" + owner + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode item = created.json();
		assertThat(item.path("ownerId").asString()).isEqualTo(owner);
		String location = created.header("Location");
		assertThat(location).isEqualTo("/api/items/" + item.path("id").asString());
		ApiResponse read = gateway.get(location);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		assertThat(read.json().path("name").asString()).isEqualTo("Lamp");
		ApiResponse listed = gateway.get("/api/items?ownerId=" + owner);
		assertThat(listed.json().path("content").findValuesAsString("id")).containsExactly(item.path("id").asString());
	}

	@Test
	void createsOnceForARepeatedIdempotencyKey() {
		String body = "{\"name\":\"Desk\",\"ownerId\":\"" + createUser(gateway).path("id").asString() + "\"}";
		String key = UUID.randomUUID().toString();

		ApiResponse first = gateway.post("/api/items", body, "Idempotency-Key", key);
		ApiResponse repeat = gateway.post("/api/items", body, "Idempotency-Key", key);

		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(repeat.status()).as(repeat.toString()).isEqualTo(201);
		assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(repeat.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
	}

	@Test
	void publishesItsDocumentInTheGatewaysSwaggerUi() {
		ApiResponse document = gateway.anonymous("GET", "/v3/api-docs/" + SERVICE);
		assertThat(document.status()).as(document.toString()).isEqualTo(200);
		assertThat(document.json().path("paths").has("/items")).as(document.body()).isTrue();

		ApiResponse config = gateway.anonymous("GET", "/v3/api-docs/swagger-config");
		assertThat(config.json().path("urls").findValuesAsString("name")).contains("user-service", "order-service",
				SERVICE);
	}

	@Test
	void refusesAnOwnerThatUserServiceDoesNotKnow() {
		assertProblem(gateway.post("/api/items", "{\"name\":\"Lamp\",\"ownerId\":\"" + UUID.randomUUID() + "\"}"), 422);
	}

	@Test
	void answersBadInputWithAProblem() {
		assertProblem(gateway.post("/api/items", "{\"name\":\"\"}"), 400);
		assertProblem(gateway.get("/api/items/" + UUID.randomUUID()), 404);
	}

	@Test
	void refusesRequestsWithoutAKey() {
		assertProblem(gateway.anonymous("GET", "/api/items?ownerId=" + UUID.randomUUID()), 401);
	}

	private static String version() {
		return System.getProperty("system-tests.version", "0.1.0-SNAPSHOT");
	}

	/**
	 * The repository's wrapper, batch mode, with the outer build's local repository if it
	 * has its own.
	 */
	private static String[] mavenCommand(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", "./mvnw", "-B", "-q"));
		String localRepository = System.getProperty("maven.repo.local");
		if (localRepository != null && !localRepository.isBlank()) {
			command.add("-Dmaven.repo.local=" + localRepository);
		}
		command.addAll(List.of(arguments));
		return command.toArray(String[]::new);
	}

	private static void run(Path log, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(repository.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(
					String.join(" ", command) + " did not finish in " + BUILD_TIMEOUT + "; see " + log);
		}
		assertThat(process.exitValue()).as("%s exit code; output in %s:%n%s", String.join(" ", command), log, tail(log))
			.isZero();
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	private static void copyTree(Path from, Path to) throws IOException {
		Files.walkFileTree(from, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
				if (!dir.equals(from) && SKIPPED.contains(dir.getFileName().toString())) {
					return FileVisitResult.SKIP_SUBTREE;
				}
				Files.createDirectories(to.resolve(from.relativize(dir).toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
				return FileVisitResult.CONTINUE;
			}
		});
	}

}
