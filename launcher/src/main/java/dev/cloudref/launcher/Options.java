package dev.cloudref.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run-local.sh}'s command line and environment, checked.
 *
 * @param command {@code start} (the default) or {@code status}
 * @param build {@code auto} (build missing or stale jars), {@code always}, {@code never}
 * @param instances instances of each scaled service (1-9)
 * @param registryPeers 1 or 2
 * @param postgres true: the services use PostgreSQL instead of embedded H2 files
 * @param zipkin true: also run a Zipkin server
 * @param startupTimeout how long the start may take until routable
 * @param help true: print the usage and exit
 */
public record Options(String command, String build, int instances, int registryPeers, boolean postgres, boolean zipkin,
		Duration startupTimeout, boolean help) {

	/**
	 * @param args the command line
	 * @param env the environment ({@code POSTGRES}, {@code ZIPKIN},
	 * {@code EUREKA_PEERS_COUNT}, {@code STARTUP_TIMEOUT})
	 * @return the options
	 * @throws IllegalArgumentException with a message for the user, for an unknown
	 * argument or a bad value
	 */
	public static Options parse(List<String> args, Map<String, String> env) {
		String command = "start";
		String build = "auto";
		int instances = 2;
		int peers = number("EUREKA_PEERS_COUNT", env.getOrDefault("EUREKA_PEERS_COUNT", "1"));
		boolean postgres = flag("POSTGRES", env.get("POSTGRES"));
		boolean zipkin = flag("ZIPKIN", env.get("ZIPKIN"));
		boolean help = false;
		List<String> rest = new ArrayList<>(args);
		while (!rest.isEmpty()) {
			String arg = rest.remove(0);
			String value = null;
			int equals = arg.indexOf('=');
			if (arg.startsWith("--") && equals > 0) {
				value = arg.substring(equals + 1);
				arg = arg.substring(0, equals);
			}
			switch (arg) {
				case "status" -> command = "status";
				case "--build", "--no-build" -> {
					String mode = arg.equals("--build") ? "always" : "never";
					if (!build.equals("auto") && !build.equals(mode)) {
						throw new IllegalArgumentException("--build and --no-build are mutually exclusive");
					}
					build = mode;
				}
				case "--instances" -> instances = number("--instances", value(arg, value, rest));
				case "--eureka-peers" -> peers = number("--eureka-peers", value(arg, value, rest));
				case "--postgres" -> postgres = true;
				case "--zipkin" -> zipkin = true;
				case "-h", "--help", "help" -> help = true;
				default -> throw new IllegalArgumentException("unknown argument: " + arg + " (see --help)");
			}
		}
		if (instances < 1 || instances > 9) {
			throw new IllegalArgumentException("--instances must be a number from 1 to 9, got " + instances);
		}
		if (peers < 1 || peers > 2) {
			throw new IllegalArgumentException("--eureka-peers (EUREKA_PEERS_COUNT) must be 1 or 2, got " + peers);
		}
		int timeout = number("STARTUP_TIMEOUT", env.getOrDefault("STARTUP_TIMEOUT", "180"));
		return new Options(command, build, instances, peers, postgres, zipkin, Duration.ofSeconds(timeout), help);
	}

	private static String value(String arg, String value, List<String> rest) {
		if (value != null) {
			return value;
		}
		if (rest.isEmpty()) {
			throw new IllegalArgumentException(arg + " needs a number");
		}
		return rest.remove(0);
	}

	private static int number(String name, String value) {
		try {
			return Integer.parseInt(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
		}
	}

	private static boolean flag(String name, String value) {
		if (value == null || value.isEmpty() || List.of("0", "false", "no").contains(value)) {
			return false;
		}
		if (List.of("1", "true", "yes").contains(value)) {
			return true;
		}
		throw new IllegalArgumentException(name + " must be 1 (or true/yes), or 0/empty, got '" + value + "'");
	}

}
