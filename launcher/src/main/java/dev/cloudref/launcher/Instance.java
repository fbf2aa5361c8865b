package dev.cloudref.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One process of a {@link SystemPlan}: which app, on which ports, with what.
 *
 * @param app the app it is an instance of
 * @param name unique in the system, e.g. {@code user-service-1} or {@code api-gateway}
 * @param port its HTTP port
 * @param managementPort its actuator port (where {@code healthPath} answers)
 * @param healthPath the readiness path, e.g. {@code /actuator/health/readiness}
 * @param jar the executable jar
 * @param startupCache true: start through {@link StartupCache}; false: plain {@code -jar}
 * @param environment its environment on top of the launcher's
 * @param arguments program arguments after the jar
 */
public record Instance(AppSpec app, String name, int port, int managementPort, String healthPath, Path jar,
		boolean startupCache, Map<String, String> environment, List<String> arguments) {

	/**
	 * The readiness path of this project's apps (Spring Boot's readiness health group).
	 */
	public static final String READINESS = "/actuator/health/readiness";

	/**
	 * @param app an app of the system
	 * @param index 1-based instance number
	 * @param count how many instances of it run
	 * @return {@code <name>-<index>} for services and for apps with several instances,
	 * else the app's name
	 */
	static String name(AppSpec app, int index, int count) {
		return (app.role() == AppSpec.Role.SERVICE || count > 1) ? app.name() + "-" + index : app.name();
	}

}
