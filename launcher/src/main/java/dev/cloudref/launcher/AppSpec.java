package dev.cloudref.launcher;

import java.util.Locale;

/**
 * One app of the system as {@code launcher/apps.conf} lists it.
 *
 * @param name the Maven module and jar name; upper-cased, the registry application name
 * @param role when it starts and stops relative to the others
 * @param port the HTTP port of instance 1; instance {@code i} uses {@code port + i - 1}
 * @param managementPort the actuator port of instance 1, numbered the same way
 * @param instances the number of instances, or {@link #SCALED} for {@code --instances}
 * @param database the service's database name, or {@code null} for none
 * @param probe a path answering 200 through the gateway once routable, or {@code null}
 */
public record AppSpec(String name, Role role, int port, int managementPort, int instances, String database,
		String probe) {

	/** {@link #instances()} value meaning "as many as the launcher is asked for". */
	public static final int SCALED = 0;

	/**
	 * Start order: infrastructure and registries first, gateways last; stops run the
	 * other way.
	 */
	public enum Role {

		/**
		 * Started and ready before everything else, not registered (e.g. a trace
		 * collector).
		 */
		INFRASTRUCTURE,
		/**
		 * The config server: started with the registry and ready before any service or
		 * gateway, which fetch their configuration from it at start
		 * ({@code CONFIG_SERVER_URL}).
		 */
		CONFIG,
		/** The service registry: started and ready before anything that registers. */
		REGISTRY,
		/** A business service: registered, reached through the gateway. */
		SERVICE,
		/** The public entry: started last, stopped first. */
		GATEWAY

	}

	/**
	 * @return the registry application name, e.g. {@code USER-SERVICE}
	 */
	public String registryName() {
		return name.toUpperCase(Locale.ROOT);
	}

	/**
	 * @param scaled the launcher's {@code --instances}
	 * @return how many instances of this app to run
	 */
	public int instanceCount(int scaled) {
		return (instances == SCALED) ? scaled : instances;
	}

}
