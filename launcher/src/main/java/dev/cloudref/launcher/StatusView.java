package dev.cloudref.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./run-local.sh status}: what the running launcher started (from
 * {@code .local/launcher.state}, which it writes once the system is routable and deletes
 * when it stops), each instance's process, readiness and registration, asked live.
 */
final class StatusView {

	private final Path state;

	private final Probes probes = new Probes();

	StatusView(Path local) {
		this.state = local.resolve("launcher.state");
	}

	/**
	 * Writes the state file: one line per instance ({@code name pid port management-port
	 * health-path registry-name}), then the registry ports and the registry's
	 * {@code Authorization} header (the file is in the owner-only {@code .local/}).
	 */
	static void write(Path state, SystemPlan plan, LaunchedSystem system) throws IOException {
		List<String> lines = new ArrayList<>();
		for (Instance instance : plan.instances()) {
			AppProcess process = system.process(instance.name());
			boolean registered = instance.app().role() == AppSpec.Role.SERVICE
					|| instance.app().role() == AppSpec.Role.GATEWAY;
			lines.add(String.join(" ", "instance", instance.name(), String.valueOf(process.process().pid()),
					String.valueOf(instance.port()), String.valueOf(instance.managementPort()), instance.healthPath(),
					registered ? instance.app().registryName() : "-"));
		}
		plan.instances(AppSpec.Role.REGISTRY).forEach(r -> lines.add("registry " + r.port()));
		lines.add("registry-authorization " + plan.registryCredentials().authorization());
		Files.write(state, lines);
	}

	/**
	 * @return 0 when every instance is alive and ready, 1 otherwise, 3 when nothing runs
	 */
	int print() throws IOException {
		if (!Files.isRegularFile(state)) {
			System.out.println("Not running (no " + state + "; ./run-local.sh writes it once the system is routable)");
			return 3;
		}
		List<String[]> instances = new ArrayList<>();
		Integer registry = null;
		String authorization = "";
		for (String line : Files.readAllLines(state)) {
			String[] f = line.split(" ");
			if (f[0].equals("instance") && f.length == 7) {
				instances.add(f);
			}
			else if (f[0].equals("registry") && registry == null) {
				registry = Integer.parseInt(f[1]);
			}
			else if (f[0].equals("registry-authorization")) {
				authorization = line.substring(f[0].length() + 1);
			}
		}
		System.out.printf("%-18s %8s %6s %6s  %-8s %-6s %s%n", "INSTANCE", "PID", "PORT", "MGMT", "PROCESS", "READY",
				"REGISTERED (UP in the registry)");
		boolean healthy = true;
		for (String[] f : instances) {
			Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(f[2]));
			boolean alive = handle.map(ProcessHandle::isAlive).orElse(false);
			boolean ready = alive && probes.ready(Integer.parseInt(f[4]), f[5]);
			String registered = (f[6].equals("-") || registry == null) ? "-"
					: probes.registeredUp(registry, f[6], authorization) + " x " + f[6];
			healthy &= alive && ready;
			System.out.printf("%-18s %8s %6s %6s  %-8s %-6s %s%n", f[1], f[2], f[3], f[4], alive ? "alive" : "exited",
					ready ? "yes" : "no", registered);
		}
		return healthy ? 0 : 1;
	}

}
