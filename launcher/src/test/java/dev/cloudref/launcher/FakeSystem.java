package dev.cloudref.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds a throw-away repository whose apps are all {@link FakeApp}s on free ports. */
final class FakeSystem {

	private FakeSystem() {
	}

	/**
	 * Writes {@code launcher/apps.conf} (a registry, a scaled service, a gateway, no
	 * probes) and each app's jar at {@code <name>/target/<name>-1.0.jar}.
	 * @return the apps as the file lists them
	 */
	static List<AppSpec> create(Path repository) throws IOException {
		int base = ThreadLocalRandom.current().nextInt(200, 300) * 100;
		String conf = """
				# name       role      port  mgmt  instances  database  probe
				fake-registry registry %d   %d    1          -         -
				fake-service  service  %d   %d    n          fakes     -
				fake-gateway  gateway  %d   %d    1          -         -
				""".formatted(base, base, base + 10, base + 20, base + 30, base + 31);
		Files.createDirectories(repository.resolve("launcher"));
		Files.writeString(repository.resolve(AppCatalog.FILE), conf);
		List<AppSpec> apps = AppCatalog.load(repository);
		for (AppSpec app : apps) {
			Path target = Files.createDirectories(repository.resolve(app.name()).resolve("target"));
			writeJar(target.resolve(app.name() + "-1.0.jar"));
		}
		return apps;
	}

	/** A runnable jar of {@link FakeApp}. */
	static void writeJar(Path jar) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeApp.class.getName());
		String entry = FakeApp.class.getName().replace('.', '/') + ".class";
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
				InputStream in = FakeApp.class.getClassLoader().getResourceAsStream(entry)) {
			out.putNextEntry(new JarEntry(entry));
			in.transferTo(out);
			out.closeEntry();
		}
	}

	/**
	 * @return the java of the JDK running the tests
	 */
	static Jdk jdk() {
		try {
			return Jdk.of(Path.of(ProcessHandle.current().info().command().orElseThrow()));
		}
		catch (RuntimeException ex) {
			throw new UncheckedIOException(new IOException("cannot find the running java", ex));
		}
	}

}
