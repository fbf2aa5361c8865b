package dev.cloudref.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What to start: every instance of every app in {@code apps.conf}, in start order, with
 * its ports and environment (fixed ports for {@code ./run-local.sh}, free ones for the
 * system tests). {@link #instances()} is all a {@link LaunchedSystem} needs.
 */
public final class SystemPlan {

	private final List<Instance> instances;

	private final int scaledInstances;

	private final RegistryCredentials registryCredentials;

	private SystemPlan(List<Instance> instances, int scaledInstances, RegistryCredentials registryCredentials) {
		this.instances = List.copyOf(instances);
		this.scaledInstances = scaledInstances;
		this.registryCredentials = registryCredentials;
	}

	/**
	 * @param apps the system's apps ({@link AppCatalog#load})
	 * @return a builder with the defaults of {@code ./run-local.sh}: 2 instances of each
	 * scaled service, one registry, ports from the list
	 */
	public static Builder builder(List<AppSpec> apps) {
		return new Builder(apps);
	}

	/**
	 * @return every process to start, infrastructure and registries first, gateways last
	 */
	public List<Instance> instances() {
		return instances;
	}

	/**
	 * @param role a role
	 * @return the instances of apps with that role, in start order
	 */
	public List<Instance> instances(AppSpec.Role role) {
		return instances.stream().filter(instance -> instance.app().role() == role).toList();
	}

	/**
	 * @return the {@code --instances} this plan was made with
	 */
	public int scaledInstances() {
		return scaledInstances;
	}

	/**
	 * @return the apps that register with the registry (services and gateways), each with
	 * the number of its instances
	 */
	public Map<AppSpec, Integer> registeredApps() {
		return instances.stream()
			.filter(i -> i.app().role() == AppSpec.Role.SERVICE || i.app().role() == AppSpec.Role.GATEWAY)
			.collect(Collectors.groupingBy(Instance::app, LinkedHashMap::new, Collectors.summingInt(i -> 1)));
	}

	/**
	 * @return the registry's credentials, every app's and peer's service URL carries them
	 */
	public RegistryCredentials registryCredentials() {
		return registryCredentials;
	}

	/**
	 * @return the first instance of the gateway app
	 */
	public Instance gateway() {
		return instances(AppSpec.Role.GATEWAY).stream()
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("apps.conf lists no app with role gateway"));
	}

	/** Chooses an instance's ports. */
	@FunctionalInterface
	public interface Ports {

		/**
		 * @param app the app
		 * @param index the 1-based instance number
		 * @return {@code {port, managementPort}}
		 */
		int[] of(AppSpec app, int index);

		/**
		 * The ports of {@code apps.conf}: instance {@code i} gets the first ports + i -
		 * 1.
		 */
		Ports FIXED = (app, index) -> new int[] { app.port() + index - 1, app.managementPort() + index - 1 };

	}

	/** Collects the choices; {@link #build()} checks them and makes the plan. */
	public static final class Builder {

		private final List<AppSpec> apps;

		private int scaledInstances = 2;

		private int registryPeers = 1;

		private Ports ports = Ports.FIXED;

		private Function<AppSpec, Path> jars;

		private final Map<String, String> common = new HashMap<>();

		private final Map<String, Map<String, String>> perApp = new HashMap<>();

		private Path zipkinJar;

		private Path configRepository;

		private int zipkinPort;

		private Path brokerJar;

		private int brokerPort;

		private int brokerHealthPort;

		private RegistryCredentials registryCredentials;

		private Builder(List<AppSpec> apps) {
			this.apps = List.copyOf(apps);
		}

		/**
		 * @param count instances of each app whose {@code instances} column is {@code n}
		 * (1-9)
		 * @return this builder
		 */
		public Builder instances(int count) {
			if (count < 1 || count > 9) {
				throw new IllegalArgumentException("instances must be 1-9, got " + count);
			}
			this.scaledInstances = count;
			return this;
		}

		/**
		 * @param peers 1, or 2 replicating registry peers (the second on the next port)
		 * @return this builder
		 */
		public Builder registryPeers(int peers) {
			if (peers < 1 || peers > 2) {
				throw new IllegalArgumentException("registry peers must be 1 or 2, got " + peers);
			}
			this.registryPeers = peers;
			return this;
		}

		/**
		 * @param ports how to choose ports; default {@link Ports#FIXED}
		 * @return this builder
		 */
		public Builder ports(Ports ports) {
			this.ports = Objects.requireNonNull(ports);
			return this;
		}

		/**
		 * @param jars the executable jar of each app
		 * @return this builder
		 */
		public Builder jars(Function<AppSpec, Path> jars) {
			this.jars = jars;
			return this;
		}

		/**
		 * @param environment added to every service and gateway instance (registry
		 * address, database, data directory, tracing and the like come from here)
		 * @return this builder
		 */
		public Builder environment(Map<String, String> environment) {
			common.putAll(environment);
			return this;
		}

		/**
		 * @param app an app's name, e.g. {@code api-gateway}
		 * @param environment added to each of its instances, over the common environment
		 * @return this builder
		 */
		public Builder environment(String app, Map<String, String> environment) {
			perApp.computeIfAbsent(app, name -> new HashMap<>()).putAll(environment);
			return this;
		}

		/**
		 * Adds a Zipkin server (in-memory storage, loopback only), started first, and
		 * sends every app's traces to it.
		 * @param jar Zipkin's executable jar
		 * @param port its HTTP port (UI and API)
		 * @return this builder
		 */
		public Builder zipkin(Path jar, int port) {
			this.zipkinJar = jar;
			this.zipkinPort = port;
			return this;
		}

		/**
		 * Adds the embedded AMQP 0-9-1 broker (module {@code embedded-broker}, loopback
		 * only, in memory), started first, and points every app at it
		 * ({@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}): for a machine without RabbitMQ.
		 * @param jar the broker's executable jar
		 * @param port its AMQP port
		 * @param healthPort the port of its {@code GET /health}
		 * @return this builder
		 */
		public Builder embeddedBroker(Path jar, int port, int healthPort) {
			this.brokerJar = jar;
			this.brokerPort = port;
			this.brokerHealthPort = healthPort;
			return this;
		}

		/**
		 * @param credentials the registry's account: the registry gets it as
		 * {@code EUREKA_USER}/{@code EUREKA_PASSWORD}, every app and peer in the
		 * user-info of its service URLs ({@code EUREKA_URL}, {@code EUREKA_PEERS})
		 * @return this builder
		 */
		public Builder registryCredentials(RegistryCredentials credentials) {
			this.registryCredentials = credentials;
			return this;
		}

		/**
		 * @param directory the config repository the config server serves (its native
		 * backend), e.g. the repository's {@code config-repo/}; unset, the config
		 * server's own default ({@code ./config-repo/} of its working directory)
		 * @return this builder
		 */
		public Builder configRepository(Path directory) {
			this.configRepository = directory;
			return this;
		}

		/**
		 * @return the plan
		 * @throws IllegalArgumentException if two instances would share a port, or the
		 * list has no registry or no gateway
		 * @throws NullPointerException if the jars or the registry's credentials are not
		 * set
		 */
		public SystemPlan build() {
			Objects.requireNonNull(jars, "jars");
			Objects.requireNonNull(registryCredentials, "registryCredentials");
			List<Instance> instances = new ArrayList<>();
			Map<String, String> common = new HashMap<>(this.common);
			if (zipkinJar != null) {
				AppSpec zipkin = new AppSpec("zipkin", AppSpec.Role.INFRASTRUCTURE, zipkinPort, zipkinPort, 1, null,
						null);
				// The port list is replaced as a whole, so it is given in full.
				instances.add(new Instance(zipkin, "zipkin", zipkinPort, zipkinPort, "/health", zipkinJar, false,
						Map.of("QUERY_PORT", String.valueOf(zipkinPort)),
						List.of("--armeria.ports[0].port=" + zipkinPort, "--armeria.ports[0].ip=127.0.0.1",
								"--armeria.ports[0].protocols[0]=http")));
				common.put("ZIPKIN_ENABLED", "true");
				common.put("ZIPKIN_ENDPOINT", "http://127.0.0.1:" + zipkinPort + "/api/v2/spans");
			}
			if (brokerJar != null) {
				AppSpec broker = new AppSpec("embedded-broker", AppSpec.Role.INFRASTRUCTURE, brokerPort,
						brokerHealthPort, 1, null, null);
				instances.add(new Instance(broker, "embedded-broker", brokerPort, brokerHealthPort, "/health",
						brokerJar, false,
						Map.of("BROKER_ADDRESS", "127.0.0.1", "BROKER_PORT", String.valueOf(brokerPort),
								"BROKER_HEALTH_PORT", String.valueOf(brokerHealthPort), "DATA_DIR",
								common.getOrDefault("DATA_DIR", "./.local/data")),
						List.of()));
				common.put("RABBITMQ_HOST", "127.0.0.1");
				common.put("RABBITMQ_PORT", String.valueOf(brokerPort));
			}
			List<AppSpec> ordered = apps.stream().sorted(Comparator.comparing(AppSpec::role)).toList();
			AppSpec registry = ordered.stream()
				.filter(app -> app.role() == AppSpec.Role.REGISTRY)
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("apps.conf lists no app with role registry"));
			List<Integer> registryPorts = new ArrayList<>();
			for (int i = 1; i <= registryPeers; i++) {
				registryPorts.add(ports.of(registry, i)[0]);
			}
			ordered.stream()
				.filter(app -> app.role() == AppSpec.Role.CONFIG)
				.findFirst()
				.ifPresent(config -> common.putIfAbsent("CONFIG_SERVER_URL",
						"http://127.0.0.1:" + ports.of(config, 1)[0]));
			common.putIfAbsent("EUREKA_URL",
					registryPorts.stream()
						.map(port -> registryCredentials.serviceUrl(registryHost(registryPorts.indexOf(port)), port))
						.collect(Collectors.joining(",")));
			for (AppSpec app : ordered) {
				int count = (app == registry) ? registryPeers : app.instanceCount(scaledInstances);
				for (int i = 1; i <= count; i++) {
					int[] chosen = ports.of(app, i);
					Map<String, String> environment = new HashMap<>();
					if (app.role() == AppSpec.Role.REGISTRY) {
						environment.put("EUREKA_PORT", String.valueOf(chosen[0]));
						environment.put("EUREKA_USER", registryCredentials.user());
						environment.put("EUREKA_PASSWORD", registryCredentials.password());
						if (app == registry && registryPeers > 1) {
							// Eureka skips a peer URL whose host is its own hostname, so
							// peers on one host get different hostnames and address each
							// other by them.
							int other = registryPorts.get(i == 1 ? 1 : 0);
							environment.put("EUREKA_HOSTNAME", registryHost(i - 1));
							environment.put("EUREKA_PEER_AWARE", "true");
							environment.put("EUREKA_PEERS",
									registryCredentials.serviceUrl(registryHost(i == 1 ? 1 : 0), other));
						}
					}
					else {
						environment.putAll(common);
						environment.put("SERVER_PORT", String.valueOf(chosen[0]));
						environment.put("MANAGEMENT_PORT", String.valueOf(chosen[1]));
						if (app.database() != null) {
							environment.put("DB_NAME", app.database());
						}
						if (app.role() == AppSpec.Role.CONFIG) {
							// The services' profiles and database (e.g. postgres) are
							// theirs:
							// the config server keeps its own profile (native, its
							// backend).
							environment.keySet()
								.removeIf(key -> key.equals("SPRING_PROFILES_ACTIVE") || key.startsWith("DB_"));
						}
						if (app.role() == AppSpec.Role.CONFIG && configRepository != null) {
							String uri = configRepository.toAbsolutePath().toUri().toString();
							environment.put("CONFIG_REPO", uri.endsWith("/") ? uri : uri + "/");
						}
					}
					environment.putAll(perApp.getOrDefault(app.name(), Map.of()));
					instances.add(new Instance(app, Instance.name(app, i, count), chosen[0], chosen[1],
							Instance.READINESS, jars.apply(app), true, environment, List.of()));
				}
			}
			if (instances.stream().noneMatch(i -> i.app().role() == AppSpec.Role.GATEWAY)) {
				throw new IllegalArgumentException("apps.conf lists no app with role gateway");
			}
			checkPorts(instances);
			return new SystemPlan(instances, scaledInstances, registryCredentials);
		}

		/** With one registry peer, its address; with two, two names for this one host. */
		private String registryHost(int peer) {
			return (registryPeers > 1 && peer == 1) ? "127.0.0.1" : "localhost";
		}

		private static void checkPorts(List<Instance> instances) {
			Map<Integer, String> owners = new HashMap<>();
			for (Instance instance : instances) {
				for (int port : new int[] { instance.port(), instance.managementPort() }) {
					String owner = owners.putIfAbsent(port, instance.name());
					if (owner != null && !owner.equals(instance.name())) {
						throw new IllegalArgumentException("port " + port + " would be used by both " + owner + " and "
								+ instance.name() + " (check the ports in apps.conf)");
					}
				}
			}
		}

	}

}
