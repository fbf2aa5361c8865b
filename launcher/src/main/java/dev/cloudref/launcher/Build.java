package dev.cloudref.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The apps' jars, and the Maven build that makes them when they are missing or stale. */
final class Build {

	/**
	 * Modules whose changes never change an app's jar: the launcher, the tests, the
	 * template.
	 */
	private static final List<String> NOT_IN_THE_APPS = List.of("launcher", "system-tests", "service-archetype");

	private final Path repository;

	Build(Path repository) {
		this.repository = repository;
	}

	/**
	 * @param module a module, e.g. {@code user-service}
	 * @return its newest executable jar ({@code <module>/target/<module>-*.jar}, not the
	 * plain, sources, javadoc or tests jar)
	 */
	Optional<Path> jar(String module) {
		Path target = repository.resolve(module).resolve("target");
		if (!Files.isDirectory(target)) {
			return Optional.empty();
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.filter(f -> {
				String name = f.getFileName().toString();
				return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-plain.jar")
						&& !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar")
						&& !name.endsWith("-tests.jar");
			}).max(Comparator.comparing(Build::modified));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param modules the apps' modules
	 * @return why a build is needed (a jar is missing, or a pom.xml or source file of a
	 * module the apps are built from is newer than a jar), or empty when the jars are up
	 * to date
	 */
	Optional<String> reason(List<String> modules) {
		FileTime oldest = null;
		for (String module : modules) {
			Optional<Path> jar = jar(module);
			if (jar.isEmpty()) {
				return Optional.of("no jar in " + module + "/target/");
			}
			FileTime modified = modified(jar.get());
			if (oldest == null || modified.compareTo(oldest) < 0) {
				oldest = modified;
			}
		}
		FileTime jarsMade = oldest;
		List<Path> inputs = new ArrayList<>(List.of(repository.resolve("pom.xml")));
		try (Stream<Path> modulesDirs = Files.list(repository)) {
			modulesDirs.filter(Files::isDirectory)
				.filter(dir -> !NOT_IN_THE_APPS.contains(dir.getFileName().toString()))
				.forEach(dir -> {
					inputs.add(dir.resolve("pom.xml"));
					inputs.add(dir.resolve("src"));
				});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (Path input : inputs) {
			if (!Files.exists(input)) {
				continue;
			}
			try (Stream<Path> files = Files.walk(input)) {
				Optional<Path> newer = files.filter(Files::isRegularFile)
					.filter(f -> modified(f).compareTo(jarsMade) > 0)
					.findFirst();
				if (newer.isPresent()) {
					return Optional.of(repository.relativize(newer.get()) + " is newer than the jars");
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return Optional.empty();
	}

	/**
	 * Runs the Maven Wrapper with the launcher's output.
	 * @param arguments e.g. {@code -B -q package -DskipTests}
	 * @return its exit status
	 * @throws UncheckedIOException if it cannot be started
	 */
	int maven(String... arguments) {
		boolean windows = File.separatorChar == '\\';
		List<String> command = new ArrayList<>();
		if (windows) {
			command.addAll(List.of("cmd", "/c", repository.resolve("mvnw.cmd").toString()));
		}
		else {
			command.addAll(List.of("sh", repository.resolve("mvnw").toString()));
		}
		command.addAll(List.of(arguments));
		try {
			return new ProcessBuilder(command).directory(repository.toFile()).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run the Maven Wrapper", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static FileTime modified(Path file) {
		try {
			return Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

}
