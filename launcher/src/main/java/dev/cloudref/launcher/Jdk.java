package dev.cloudref.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK the apps run on: {@code JAVA_HOME} when set, else the newest installed JDK 25
 * or later (only 25+ has the one-step AOT cache), else the JDK running the launcher.
 *
 * @param java the java executable
 * @param major its feature release, e.g. 17 or 25
 * @param version its full {@code java -version} output, which a start-up cache depends on
 */
public record Jdk(Path java, int major, String version) {

	private static final List<String> INSTALL_DIRS = List.of("/usr/lib/jvm", "/Library/Java/JavaVirtualMachines",
			"C:\\Program Files\\Java", "C:\\Program Files\\Eclipse Adoptium");

	private static final Pattern SPEC = Pattern.compile("java\\.specification\\.version = (1\\.)?(\\d+)");

	/**
	 * @return the JDK to run the apps on
	 * @throws IllegalStateException if {@code JAVA_HOME} is set but holds no usable java,
	 * or the chosen java is older than 17
	 */
	public static Jdk select() {
		String javaHome = System.getenv("JAVA_HOME");
		if (javaHome != null && !javaHome.isBlank()) {
			Path java = executable(Path.of(javaHome));
			if (!Files.isExecutable(java)) {
				throw new IllegalStateException(
						"JAVA_HOME is set to '" + javaHome + "' but " + java + " does not exist or is not executable");
			}
			return require17(of(java));
		}
		Jdk best = null;
		for (String dir : INSTALL_DIRS) {
			for (Path home : homes(Path.of(dir))) {
				Jdk candidate = of(executable(home));
				if (candidate != null && candidate.major >= 25 && (best == null || candidate.major > best.major)) {
					best = candidate;
				}
			}
		}
		return (best != null) ? best : current();
	}

	/**
	 * @return the JDK running this code
	 * @throws IllegalStateException if its java cannot be run
	 */
	public static Jdk current() {
		return require17(of(executable(Path.of(System.getProperty("java.home")))));
	}

	private static Jdk require17(Jdk jdk) {
		if (jdk == null) {
			throw new IllegalStateException(
					"Cannot run java to find its version; install a JDK >= 17 or set JAVA_HOME");
		}
		if (jdk.major < 17) {
			throw new IllegalStateException("Java " + jdk.major + " found at " + jdk.java
					+ ", but Java >= 17 is required (set JAVA_HOME to a newer JDK)");
		}
		return jdk;
	}

	private static List<Path> homes(Path dir) {
		List<Path> homes = new ArrayList<>();
		if (!Files.isDirectory(dir)) {
			return homes;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				Path macHome = entry.resolve("Contents").resolve("Home");
				Path home = Files.isDirectory(macHome) ? macHome : entry;
				if (Files.isExecutable(executable(home))) {
					homes.add(home);
				}
			}
		}
		catch (IOException ex) {
			// An unreadable directory holds no candidate.
		}
		return homes;
	}

	private static Path executable(Path home) {
		return home.resolve("bin").resolve(File.separatorChar == '\\' ? "java.exe" : "java");
	}

	/**
	 * @param java a java executable
	 * @return its version, or null if it cannot be run
	 */
	static Jdk of(Path java) {
		try {
			Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
				.redirectErrorStream(true)
				.start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			Matcher spec = SPEC.matcher(out);
			if (!spec.find()) {
				return null;
			}
			String version = out.lines()
				.filter(line -> line.contains("version \"") || line.contains("Runtime Environment")
						|| line.contains("VM ("))
				.reduce("", (a, b) -> a + b.strip() + " ");
			return new Jdk(java, Integer.parseInt(spec.group(2)), version.strip());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
