package dev.cloudref.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A faster start for a packaged Spring Boot app: the extracted jar plus an AOT cache on
 * JDK 25+ (JEP 483 and 514) or a dynamic CDS archive on JDK 17-24, from one training run.
 * On any failure it falls back to {@code -jar}, so a missing cache never stops an app.
 */
public final class StartupCache {

	private static final long TRAINING_TIMEOUT_MINUTES = 5;

	private StartupCache() {
	}

	/**
	 * @return false when the environment variable {@code STARTUP_CACHE} is 0, false, no
	 * or off
	 */
	public static boolean enabledByEnvironment() {
		String value = System.getenv("STARTUP_CACHE");
		return value == null || !List.of("0", "false", "no", "off").contains(value.strip().toLowerCase());
	}

	/**
	 * Returns the java arguments that start {@code jar} after the JVM options, making the
	 * cache first if it is missing or stale. Callers in one JVM are serialised; other
	 * processes are kept out by a file lock in {@code dir}.
	 * @param jdk the JDK the app will run on
	 * @param jar the app's executable jar
	 * @param dir the cache's own directory (one per app)
	 * @param jvmOptions the options the app will run with: a cache only serves a JVM
	 * whose options (GC, compressed oops, ...) match those it was made with
	 * @param warn receives one line per problem and per cache made
	 * @return {@code -XX:AOTCache=<dir>/app.aot -jar <dir>/app/<jar name>} (or
	 * {@code -XX:SharedArchiveFile=...}), or {@code -jar <jar>} on any failure
	 */
	public static synchronized List<String> launchArguments(Jdk jdk, Path jar, Path dir, List<String> jvmOptions,
			Consumer<String> warn) {
		List<String> plain = List.of("-jar", jar.toAbsolutePath().toString());
		try {
			List<String> arguments = prepare(jdk, jar.toAbsolutePath(), dir.toAbsolutePath().normalize(), jvmOptions,
					warn);
			return (arguments != null) ? arguments : plain;
		}
		catch (IOException | UncheckedIOException ex) {
			warn.accept(jar.getFileName() + ": no start-up cache (" + ex.getMessage() + ")");
			return plain;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return plain;
		}
	}

	private static List<String> prepare(Jdk jdk, Path jar, Path dir, List<String> jvmOptions, Consumer<String> warn)
			throws IOException, InterruptedException {
		if (!Files.isRegularFile(jar)) {
			warn.accept("no jar at " + jar + "; starting without a start-up cache");
			return null;
		}
		Files.createDirectories(dir);
		// JDK 25's one-step training (-XX:AOTCacheOutput); JDK 24 needs two steps for an
		// AOT
		// cache, so it gets CDS like 17-23.
		boolean aot = jdk.major() >= 25;
		Path cache = dir.resolve(aot ? "app.aot" : "app.jsa");
		String flag = (aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache;
		Path extracted = dir.resolve("app").resolve(jar.getFileName().toString());
		List<String> cached = List.of(flag, "-jar", extracted.toString());
		String stamp = (aot ? "aot " : "cds ") + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + " "
				+ jdk.version() + " " + String.join(" ", jvmOptions);
		Path stampFile = dir.resolve("stamp");
		try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
			if (Files.isRegularFile(cache) && Files.size(cache) > 0 && Files.isRegularFile(stampFile)
					&& Files.readString(stampFile).equals(stamp)) {
				return cached;
			}
			long started = System.nanoTime();
			for (String stale : List.of("app", "train", "stamp", "app.aot", "app.jsa", "cache.tmp")) {
				deleteTree(dir.resolve(stale));
			}
			if (run(dir.resolve("extract.log"), dir, Map.of(), jdk.java().toString(), "-Djarmode=tools", "-jar",
					jar.toString(), "extract", "--destination", dir.resolve("app").toString()) != 0) {
				warn.accept("extracting " + jar.getFileName() + " failed (see " + dir.resolve("extract.log")
						+ "); starting it without a start-up cache");
				return null;
			}
			train(jdk, jar, extracted, dir, jvmOptions, aot);
			Path made = dir.resolve("cache.tmp");
			if (!Files.isRegularFile(made) || Files.size(made) == 0) {
				warn.accept("the training run of " + jar.getFileName() + " made no cache (see "
						+ dir.resolve("training.log") + "); starting it without a start-up cache");
				return null;
			}
			Files.move(made, cache, StandardCopyOption.REPLACE_EXISTING);
			Files.writeString(stampFile, stamp);
			deleteTree(dir.resolve("train"));
			warn.accept(jar.getFileName() + ": " + (aot ? "AOT cache" : "CDS archive") + " for Java " + jdk.major()
					+ " made in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + "s (" + dir + ")");
			return cached;
		}
	}

	/**
	 * The training run: the app's own defaults (profile local, embedded H2) with state,
	 * ports and registry pointed at throw-away places, so it needs no network, database
	 * server or free port. onRefresh stops before the web servers bind and before the
	 * Eureka client registers. Its exit status says little; the cache file is what
	 * counts. Trainings run before anything starts, the config server too: an app with a
	 * file in the config repository beside its module ({@code config-repo/<app>.yml})
	 * reads the repository's files directly instead.
	 */
	private static void train(Jdk jdk, Path jar, Path extracted, Path dir, List<String> jvmOptions, boolean aot)
			throws IOException, InterruptedException {
		Path train = Files.createDirectories(dir.resolve("train"));
		Map<String, String> environment = new HashMap<>(Map.of("SPRING_PROFILES_ACTIVE", "local", "SERVER_PORT", "0",
				"MANAGEMENT_PORT", "0", "EUREKA_PORT", "0", "DATA_DIR", train.resolve("data").toString(),
				"GATEWAY_TLS_DIR", train.resolve("certs").toString(), "EUREKA_URL", "http://127.0.0.1:9/eureka/",
				"ZIPKIN_ENABLED", "false"));
		environment.putAll(configRepositoryFiles(jar, dir.getFileName().toString()));
		List<String> command = new ArrayList<>();
		command.add(jdk.java().toString());
		command.addAll(jvmOptions);
		command.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + dir.resolve("cache.tmp"));
		command.add("-Dspring.context.exit=onRefresh");
		command.add("-jar");
		command.add(extracted.toString());
		run(dir.resolve("training.log"), train, environment, command.toArray(String[]::new));
	}

	/**
	 * @param jar the app's jar, in {@code <repository>/<module>/target/}
	 * @param app the app's name
	 * @return the environment that makes the app read {@code <repository>/config-repo/}'s
	 * {@code application.yml} and {@code <app>.yml} instead of asking the config server,
	 * or nothing if the app has no file there
	 */
	static Map<String, String> configRepositoryFiles(Path jar, String app) {
		Path module = jar.toAbsolutePath().getParent().getParent();
		Path repository = (module != null) ? module.getParent() : null;
		if (repository == null || !Files.isRegularFile(repository.resolve("config-repo").resolve(app + ".yml"))) {
			return Map.of();
		}
		Path config = repository.resolve("config-repo");
		return Map.of("SPRING_CLOUD_CONFIG_ENABLED", "false", "SPRING_CONFIG_IMPORT", "optional:file:"
				+ config.resolve("application.yml") + ",optional:file:" + config.resolve(app + ".yml"));
	}

	private static int run(Path log, Path workDir, Map<String, String> environment, String... command)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		for (String inherited : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "SPRING_APPLICATION_JSON")) {
			builder.environment().remove(inherited);
		}
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		if (!process.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
			process.destroyForcibly().waitFor();
			return -1;
		}
		return process.exitValue();
	}

	private static void deleteTree(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

}
