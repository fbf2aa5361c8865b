package dev.cloudref.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SystemPlanTest {

	private final List<AppSpec> apps = AppCatalog.load(Path.of(".."));

	private final RegistryCredentials registry = new RegistryCredentials("registry", "s3cret", "test");

	@Test
	void theDefaultSystemInStartOrderOnTheListsPorts() {
		SystemPlan plan = SystemPlan.builder(apps)
			.registryCredentials(registry)
			.jars(app -> Path.of(app.name() + ".jar"))
			.configRepository(Path.of("/repo/config"))
			.environment(Map.of("DATA_DIR", "/data", "SPRING_PROFILES_ACTIVE", "postgres", "DB_HOST", "db"))
			.build();

		assertThat(plan.instances()).extracting(Instance::name)
			.startsWith("config-server", "eureka-server", "user-service-1", "user-service-2", "order-service-1",
					"order-service-2")
			.endsWith("api-gateway");
		Instance user2 = plan.instances().get(3);
		assertThat(user2.port()).isEqualTo(8082);
		assertThat(user2.managementPort()).isEqualTo(9082);
		assertThat(user2.environment()).containsEntry("SERVER_PORT", "8082")
			.containsEntry("MANAGEMENT_PORT", "9082")
			.containsEntry("DB_NAME", "users")
			.containsEntry("DATA_DIR", "/data")
			.containsEntry("EUREKA_URL", "http://registry:s3cret@localhost:8761/eureka/")
			.containsEntry("CONFIG_SERVER_URL", "http://127.0.0.1:8888");
		assertThat(plan.instances().get(0).environment()).containsEntry("SERVER_PORT", "8888")
			.containsEntry("CONFIG_REPO", Path.of("/repo/config").toUri() + "/")
			.containsEntry("EUREKA_URL", "http://registry:s3cret@localhost:8761/eureka/")
			.doesNotContainKeys("SPRING_PROFILES_ACTIVE", "DB_HOST");
		assertThat(user2.environment()).containsEntry("SPRING_PROFILES_ACTIVE", "postgres");
		assertThat(plan.instances().get(1).environment()).containsOnly(Map.entry("EUREKA_PORT", "8761"),
				Map.entry("EUREKA_USER", "registry"), Map.entry("EUREKA_PASSWORD", "s3cret"));
		assertThat(plan.registryCredentials().authorization()).isEqualTo("Basic cmVnaXN0cnk6czNjcmV0");
		assertThat(plan.registeredApps().values()).startsWith(2, 2);
	}

	@Test
	void twoRegistryPeersAddressEachOtherByDifferentNames() {
		SystemPlan plan = SystemPlan.builder(apps)
			.registryCredentials(registry)
			.registryPeers(2)
			.jars(app -> Path.of("x.jar"))
			.build();

		List<Instance> registries = plan.instances(AppSpec.Role.REGISTRY);
		assertThat(registries).extracting(Instance::name).containsExactly("eureka-server-1", "eureka-server-2");
		assertThat(registries.get(0).environment()).containsEntry("EUREKA_HOSTNAME", "localhost")
			.containsEntry("EUREKA_PEERS", "http://registry:s3cret@127.0.0.1:8762/eureka/");
		assertThat(registries.get(1).environment()).containsEntry("EUREKA_HOSTNAME", "127.0.0.1")
			.containsEntry("EUREKA_PEERS", "http://registry:s3cret@localhost:8761/eureka/");
		assertThat(plan.gateway().environment().get("EUREKA_URL"))
			.isEqualTo("http://registry:s3cret@localhost:8761/eureka/,http://registry:s3cret@127.0.0.1:8762/eureka/");
	}

	@Test
	void zipkinStartsFirstAndEveryAppSendsItsTraces() {
		SystemPlan plan = SystemPlan.builder(apps)
			.registryCredentials(registry)
			.jars(app -> Path.of("x.jar"))
			.zipkin(Path.of("z.jar"), 9411)
			.build();

		assertThat(plan.instances().get(0).name()).isEqualTo("zipkin");
		assertThat(plan.instances().get(0).startupCache()).isFalse();
		assertThat(plan.gateway().environment()).containsEntry("ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans");
	}

	@Test
	void theEmbeddedBrokerStartsFirstAndEveryAppUsesIt() {
		SystemPlan plan = SystemPlan.builder(apps)
			.registryCredentials(registry)
			.jars(app -> Path.of("x.jar"))
			.embeddedBroker(Path.of("b.jar"), 5672, 15672)
			.build();

		Instance broker = plan.instances().get(0);
		assertThat(broker.name()).isEqualTo("embedded-broker");
		assertThat(broker.app().role()).isEqualTo(AppSpec.Role.INFRASTRUCTURE);
		assertThat(broker.healthPath()).isEqualTo("/health");
		assertThat(broker.environment()).containsEntry("BROKER_PORT", "5672")
			.containsEntry("BROKER_HEALTH_PORT", "15672");
		// All but the registry, which uses no broker.
		assertThat(plan.instances().stream().skip(1).filter(instance -> instance.app().role() != AppSpec.Role.REGISTRY))
			.isNotEmpty()
			.allSatisfy(instance -> assertThat(instance.environment()).containsEntry("RABBITMQ_PORT", "5672")
				.containsEntry("RABBITMQ_HOST", "127.0.0.1"));
	}

	@Test
	void aRegistryPasswordThatCannotGoIntoAUrlIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryCredentials("registry", "a@b:c", "test"))
			.withMessageContaining("EUREKA_PASSWORD");
		assertThat(new RegistryCredentials("registry", "s3cret", "test").toString()).doesNotContain("s3cret");
	}

	@Test
	void portsThatWouldClashAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SystemPlan.builder(apps)
				.registryCredentials(registry)
				.ports((app, i) -> new int[] { 8000, 9000 + i })
				.jars(app -> Path.of("x.jar"))
				.build())
			.withMessageContaining("port 8000 would be used by both");
	}

}
