package dev.cloudref.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code launcher/apps.conf}, the list of the system's apps: one line per app,
 * whitespace-separated columns {@code name role port mgmt instances database probe},
 * {@code #} comments (the file's header describes the columns).
 */
public final class AppCatalog {

	/** Where the list lives, relative to the repository root. */
	public static final String FILE = "launcher/apps.conf";

	private AppCatalog() {
	}

	/**
	 * @param repository the repository root
	 * @return the apps in file order
	 * @throws UncheckedIOException if the file cannot be read
	 * @throws IllegalArgumentException if a line is malformed (the message names the
	 * line) or two apps share a name
	 */
	public static List<AppSpec> load(Path repository) {
		Path file = repository.resolve(FILE);
		try {
			return parse(Files.readAllLines(file), file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the app list " + file, ex);
		}
	}

	/**
	 * @param lines the file's lines
	 * @param source the file's name, for error messages
	 * @return the apps in file order
	 * @throws IllegalArgumentException if a line is malformed or two apps share a name
	 */
	static List<AppSpec> parse(List<String> lines, String source) {
		List<AppSpec> apps = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			String where = source + " line " + (i + 1) + ": ";
			String[] columns = line.split("\\s+");
			if (columns.length != 7) {
				throw new IllegalArgumentException(where + "expected 7 columns (name role port mgmt instances "
						+ "database probe), found " + columns.length + ": " + line);
			}
			AppSpec app = new AppSpec(name(columns[0], where), role(columns[1], where), port(columns[2], where),
					port(columns[3], where), instances(columns[4], where), optional(columns[5]), optional(columns[6]));
			if (!names.add(app.name())) {
				throw new IllegalArgumentException(where + "app " + app.name() + " is listed twice");
			}
			apps.add(app);
		}
		return List.copyOf(apps);
	}

	private static String name(String value, String where) {
		if (!value.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
			throw new IllegalArgumentException(where + "name must be lower-case words joined by '-': " + value);
		}
		return value;
	}

	private static AppSpec.Role role(String value, String where) {
		try {
			return AppSpec.Role.valueOf(value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					where + "role must be infrastructure, config, registry, service or gateway: " + value);
		}
	}

	private static int port(String value, String where) {
		int port = number(value, where);
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException(where + "not a TCP port: " + value);
		}
		return port;
	}

	private static int instances(String value, String where) {
		if (value.equals("n")) {
			return AppSpec.SCALED;
		}
		int count = number(value, where);
		if (count < 1) {
			throw new IllegalArgumentException(where + "instances must be n or a number >= 1: " + value);
		}
		return count;
	}

	private static int number(String value, String where) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(where + "not a number: " + value);
		}
	}

	private static String optional(String value) {
		return value.equals("-") ? null : value;
	}

}
