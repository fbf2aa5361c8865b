package dev.cloudref.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Starts a {@link SystemPlan} in order (infrastructure and registries ready first, then
 * services and gateway) and waits until every instance is ready, registered in every
 * registry peer and routable through the gateway; stops run the other way.
 */
public final class LaunchedSystem {

	/** Receives progress: one-off events and the changing status of a wait. */
	public interface Listener {

		/**
		 * @param line something that happened, e.g.
		 * {@code started user-service-1 (pid 42)}
		 */
		void event(String line);

		/**
		 * @param line what a wait is waiting for now; called on every poll
		 */
		void status(String line);

	}

	private final Jdk jdk;

	private final List<String> jvmOptions;

	private final Path cacheRoot;

	private final Path logDir;

	private final boolean detachFromTerminal;

	private final Listener listener;

	private final Probes probes = new Probes();

	private final Map<String, AppProcess> processes = new LinkedHashMap<>();

	private final Map<String, Instance> instances = new LinkedHashMap<>();

	private final Map<String, List<String>> launchArguments = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile boolean hurry;

	/**
	 * @param jdk the JDK the apps run on
	 * @param jvmOptions their JVM options
	 * @param cacheRoot where start-up caches live (one directory per app), or null to
	 * start from the jars
	 * @param logDir where {@code <instance>.log} files go (must exist)
	 * @param detachFromTerminal see {@link AppProcess}
	 * @param listener progress
	 */
	public LaunchedSystem(Jdk jdk, List<String> jvmOptions, Path cacheRoot, Path logDir, boolean detachFromTerminal,
			Listener listener) {
		this.jdk = jdk;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.cacheRoot = cacheRoot;
		this.logDir = logDir;
		this.detachFromTerminal = detachFromTerminal;
		this.listener = listener;
	}

	/**
	 * Fails at once if any port of the plan is in use.
	 * @param plan the plan
	 * @throws LaunchException naming each busy port and the instance that needs it
	 */
	public static void checkPortsFree(SystemPlan plan) {
		List<String> busy = new ArrayList<>();
		java.util.Set<Integer> checked = new java.util.HashSet<>();
		for (Instance instance : plan.instances()) {
			for (int port : new int[] { instance.port(), instance.managementPort() }) {
				if (checked.add(port) && PortCheck.inUse(port)) {
					busy.add("port " + port + " (needed by " + instance.name()
							+ ((port == instance.port()) ? "" : " management") + ")");
				}
			}
		}
		if (!busy.isEmpty()) {
			throw new LaunchException("already in use: " + String.join(", ", busy),
					"Find the process: " + findProcessHint(busy) + System.lineSeparator()
							+ "Leftovers of an earlier run show up in: jps -lv | grep cloudref.local=");
		}
	}

	private static String findProcessHint(List<String> busy) {
		String port = busy.get(0).split(" ")[1];
		String os = System.getProperty("os.name", "").toLowerCase();
		if (os.contains("win")) {
			return "netstat -ano | findstr :" + port;
		}
		return os.contains("mac") ? "lsof -nP -iTCP:" + port + " -sTCP:LISTEN" : "ss -ltnp | grep :" + port;
	}

	/**
	 * Starts every instance of the plan and waits until the system is routable.
	 * @param plan what to start
	 * @param certificate the gateway's certificate (PEM; the gateway writes it at start)
	 * @param apiKey a key the gateway accepts, for the routing probes
	 * @param timeout for the whole start
	 * @throws LaunchException if an app exits or the wait times out; what was started
	 * keeps running (call {@link #stop})
	 */
	public void start(SystemPlan plan, Path certificate, String apiKey, Duration timeout) {
		prepareStartupCaches(plan);
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Instance> first = plan.instances()
			.stream()
			.filter(i -> i.app().role().compareTo(AppSpec.Role.REGISTRY) <= 0)
			.toList();
		first.forEach(this::launch);
		awaitReady(first, deadline, timeout);
		List<Instance> rest = plan.instances().stream().filter(i -> !first.contains(i)).toList();
		rest.forEach(this::launch);
		awaitReady(rest, deadline, timeout);
		awaitRegistered(plan, deadline, timeout);
		awaitRoutable(plan, certificate, apiKey, deadline, timeout);
	}

	/**
	 * Makes (or checks) every app's start-up cache before anything starts, so that the
	 * training runs (about one start each, after a build) have the machine to themselves.
	 * The time it took does not count against the start's timeout.
	 * @param plan the apps to prepare
	 */
	public void prepareStartupCaches(SystemPlan plan) {
		long started = System.nanoTime();
		plan.instances().forEach(this::launchArguments);
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		if (seconds >= 2) {
			listener.event("start-up caches ready in " + seconds + "s");
		}
	}

	/**
	 * @return the java arguments after the JVM options, up to and including the jar
	 */
	private List<String> launchArguments(Instance instance) {
		if (!instance.startupCache() || cacheRoot == null) {
			return List.of("-jar", instance.jar().toAbsolutePath().toString());
		}
		return launchArguments.computeIfAbsent(instance.app().name(), name -> StartupCache.launchArguments(jdk,
				instance.jar(), cacheRoot.resolve(name), jvmOptions, listener::event));
	}

	/**
	 * Starts one instance (through the start-up cache where the instance asks for it).
	 * @param instance what to start
	 * @return its process
	 */
	public AppProcess launch(Instance instance) {
		List<String> command = new ArrayList<>();
		command.add(jdk.java().toString());
		command.addAll(jvmOptions);
		command.add("-Dcloudref.local=" + instance.name());
		command.addAll(launchArguments(instance));
		command.addAll(instance.arguments());
		Path log = logDir.resolve(instance.name() + ".log");
		AppProcess process = AppProcess.start(instance.name(), instance.port(), instance.managementPort(), log, command,
				instance.environment(), detachFromTerminal);
		synchronized (this) {
			processes.put(instance.name(), process);
			instances.put(instance.name(), instance);
		}
		listener.event("started " + process + ", log: " + log);
		return process;
	}

	/**
	 * @return the processes in start order
	 */
	public synchronized List<AppProcess> processes() {
		return List.copyOf(processes.values());
	}

	/**
	 * @param name an instance name, e.g. {@code user-service-2}
	 * @return its process, or null
	 */
	public synchronized AppProcess process(String name) {
		return processes.get(name);
	}

	/**
	 * Records a restarted process in place of the old one.
	 * @param process the new process, same name as an earlier one
	 */
	public synchronized void replace(AppProcess process) {
		processes.put(process.name(), process);
	}

	private void awaitReady(List<Instance> group, long deadline, Duration timeout) {
		List<Instance> pending = new ArrayList<>(group);
		await(deadline, timeout, () -> {
			failIfExited("during start-up");
			pending.removeIf(instance -> {
				boolean ready = probes.ready(instance.managementPort(), instance.healthPath());
				if (ready) {
					listener.event(instance.name() + " is ready");
				}
				return ready;
			});
			long up = processes().size() - pending.size();
			listener.status("ready " + up + "/" + processes().size() + (pending.isEmpty() ? ""
					: "; waiting for " + pending.stream().map(Instance::name).collect(Collectors.joining(", "))));
			return pending.isEmpty();
		}, () -> "not ready: " + pending.stream()
			.map(i -> i.name() + " (log " + logDir.resolve(i.name() + ".log") + ")")
			.collect(Collectors.joining(", ")));
	}

	private void awaitRegistered(SystemPlan plan, long deadline, Duration timeout) {
		List<Integer> registries = plan.instances(AppSpec.Role.REGISTRY).stream().map(Instance::port).toList();
		String[] status = { "" };
		await(deadline, timeout, () -> {
			failIfExited("during start-up");
			boolean all = true;
			List<String> counts = new ArrayList<>();
			for (int registry : registries) {
				for (Map.Entry<AppSpec, Integer> app : plan.registeredApps().entrySet()) {
					int up = probes.registeredUp(registry, app.getKey().registryName(),
							plan.registryCredentials().authorization());
					all &= up >= app.getValue();
					counts.add(((registries.size() > 1) ? ":" + registry + " " : "") + app.getKey().registryName() + " "
							+ up + "/" + app.getValue());
				}
			}
			status[0] = String.join(", ", counts);
			listener.status("registered: " + status[0]);
			return all;
		}, () -> "not registered in time: " + status[0]);
		listener.event("registered: " + status[0]);
	}

	/**
	 * Each probe must answer 200 twice its app's instance count in a row, so that the
	 * gateway's load balancer has reached every instance.
	 */
	private void awaitRoutable(SystemPlan plan, Path certificate, String apiKey, long deadline, Duration timeout) {
		Instance gateway = plan.gateway();
		Map<String, Integer> needed = new LinkedHashMap<>();
		Map<String, Integer> streak = new LinkedHashMap<>();
		Map<String, Integer> last = new LinkedHashMap<>();
		plan.registeredApps().forEach((app, count) -> {
			if (app.probe() != null) {
				needed.put(app.probe(), 2 * count);
				streak.put(app.probe(), 0);
			}
		});
		await(deadline, timeout, () -> {
			failIfExited("during start-up");
			for (Map.Entry<String, Integer> probe : needed.entrySet()) {
				if (streak.get(probe.getKey()) < probe.getValue()) {
					int status = probes.gatewayStatus(gateway.port(), certificate, apiKey, probe.getKey());
					last.put(probe.getKey(), status);
					streak.put(probe.getKey(), (status == 200) ? streak.get(probe.getKey()) + 1 : 0);
				}
			}
			listener.status("routing: " + describeRouting(needed, streak, last));
			return needed.entrySet().stream().allMatch(e -> streak.get(e.getKey()) >= e.getValue());
		}, () -> "not routable through the gateway: " + describeRouting(needed, streak, last));
		listener.event("routable: " + needed.entrySet()
			.stream()
			.map(e -> e.getValue() + " consecutive 200s on GET " + e.getKey())
			.collect(Collectors.joining(", ")));
	}

	private static String describeRouting(Map<String, Integer> needed, Map<String, Integer> streak,
			Map<String, Integer> last) {
		return needed.keySet()
			.stream()
			.map(path -> "GET " + path.replaceFirst("\\?.*", "") + " -> " + last.getOrDefault(path, -1) + " ("
					+ streak.get(path) + "/" + needed.get(path) + " in a row)")
			.collect(Collectors.joining(", "));
	}

	private void await(long deadline, Duration timeout, BooleanSupplier condition,
			java.util.function.Supplier<String> failure) {
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new LaunchException("not ready after " + timeout.toSeconds() + "s: " + failure.get(),
						"Logs: " + logDir);
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LaunchException("interrupted while waiting", "");
			}
		}
	}

	/**
	 * @param when e.g. {@code during start-up}
	 * @throws LaunchException if any started process has exited, with the tail of its log
	 */
	public void failIfExited(String when) {
		for (AppProcess process : processes()) {
			if (!process.isAlive()) {
				throw new LaunchException(
						process.name() + " (pid " + process.process().pid() + ") exited " + when + " with status "
								+ process.process().exitValue(),
						"---- last 30 lines of " + process.log() + " ----" + System.lineSeparator()
								+ process.logTail(30));
			}
		}
	}

	/**
	 * Makes a running {@link #stop} kill what is left at once instead of waiting for the
	 * graceful stops (a second Ctrl-C).
	 */
	public void hurry() {
		hurry = true;
		processes().forEach(process -> process.process().destroyForcibly());
	}

	/**
	 * Stops everything in order, a group at a time: gateways, then services (they
	 * deregister from the still running registry), then registries and infrastructure
	 * (the apps send their last spans as they stop). Each group gets SIGTERM and part of
	 * the budget; whatever is left at the end gets SIGKILL.
	 * @param budget the whole stop's time
	 */
	public void stop(Duration budget) {
		long start = System.nanoTime();
		long total = budget.toNanos();
		stopGroup("the gateway", AppSpec.Role.GATEWAY, start + total * 8 / 25);
		stopGroup("the services", AppSpec.Role.SERVICE, start + total * 20 / 25);
		stopGroup("the registry and infrastructure", AppSpec.Role.REGISTRY, start + total);
		List<AppProcess> left = processes().stream().filter(AppProcess::isAlive).toList();
		if (!left.isEmpty()) {
			listener.event("still running after " + budget.toSeconds() + "s, killing: " + left);
			left.forEach(AppProcess::kill);
		}
	}

	private void stopGroup(String label, AppSpec.Role role, long deadline) {
		List<AppProcess> group;
		synchronized (this) {
			group = instances.values()
				.stream()
				.filter(i -> (role == AppSpec.Role.REGISTRY) ? i.app().role().compareTo(role) <= 0
						: i.app().role() == role)
				.map(i -> processes.get(i.name()))
				.filter(AppProcess::isAlive)
				.toList();
		}
		if (group.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		listener.event("stopping " + label + ": " + group);
		group.forEach(process -> process.process().destroy());
		for (AppProcess process : group) {
			long left = deadline - System.nanoTime();
			try {
				while (!hurry && left > 0
						&& !process.process().waitFor(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS)) {
					left = deadline - System.nanoTime();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (group.stream().noneMatch(AppProcess::isAlive)) {
			listener.event(label + " stopped (" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + "s)");
		}
	}

}
