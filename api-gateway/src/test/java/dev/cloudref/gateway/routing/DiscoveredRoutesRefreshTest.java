package dev.cloudref.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveredRoutesRefreshTest {

	private final Map<String, List<ServiceInstance>> registry = new TreeMap<>();

	private final List<Object> published = new ArrayList<>();

	private final DiscoveredRoutesRefresh refresh = new DiscoveredRoutesRefresh(new DiscoveryClient() {
		@Override
		public String description() {
			return "test registry";
		}

		@Override
		public List<ServiceInstance> getInstances(String serviceId) {
			return registry.getOrDefault(serviceId, List.of());
		}

		@Override
		public List<String> getServices() {
			return List.copyOf(registry.keySet());
		}
	}, this.published::add);

	private long heartbeat;

	@Test
	void rebuildsRoutesAfterARegistryFetchOnlyWhenServicesOrTheirMetadataChanged() {
		register("user-service", 1, Map.of());
		assertThat(refreshesAfterHeartbeat()).as("first fetch").isEqualTo(1);
		assertThat(refreshesAfterHeartbeat()).as("same registry").isZero();

		register("user-service", 2, Map.of());
		assertThat(refreshesAfterHeartbeat()).as("one more instance, same metadata").isZero();

		register("item-service", 1, Map.of("public-path", "/items"));
		assertThat(refreshesAfterHeartbeat()).as("a new service").isEqualTo(1);

		this.registry.put("item-service", List.of(instance("item-service", 1, Map.of("public-path", "/things"))));
		assertThat(refreshesAfterHeartbeat()).as("metadata changed").isEqualTo(1);

		this.registry.remove("item-service");
		assertThat(refreshesAfterHeartbeat()).as("a service gone").isEqualTo(1);
		assertThat(refreshesAfterHeartbeat()).as("same registry again").isZero();
	}

	@Test
	void comparesMetadataWithNullValues() {
		Map<String, String> metadata = new HashMap<>();
		metadata.put("zone", null);
		register("user-service", 1, metadata);

		assertThat(refreshesAfterHeartbeat()).isEqualTo(1);
		assertThat(refreshesAfterHeartbeat()).isZero();
	}

	@Test
	void rebuildsRoutesAfterAConfigurationRefreshWhateverTheRegistry() {
		register("user-service", 1, Map.of());
		refreshesAfterHeartbeat();

		this.refresh.onApplicationEvent(new RefreshScopeRefreshedEvent());

		assertThat(this.published).hasSize(2).allMatch(RefreshRoutesEvent.class::isInstance);
	}

	private long refreshesAfterHeartbeat() {
		int before = this.published.size();
		this.refresh.onApplicationEvent(new HeartbeatEvent(this, ++this.heartbeat));
		return this.published.subList(before, this.published.size())
			.stream()
			.filter(RefreshRoutesEvent.class::isInstance)
			.count();
	}

	private void register(String serviceId, int instanceNumber, Map<String, String> metadata) {
		this.registry.computeIfAbsent(serviceId, id -> new ArrayList<>())
			.add(instance(serviceId, instanceNumber, metadata));
	}

	private static ServiceInstance instance(String serviceId, int number, Map<String, String> metadata) {
		return new DefaultServiceInstance(serviceId + "-" + number, serviceId, "localhost", 8080 + number, false,
				metadata);
	}

}
