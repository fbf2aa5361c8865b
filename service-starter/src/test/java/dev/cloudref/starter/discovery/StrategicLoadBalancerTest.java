package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The share of requests each instance gets under each strategy, over {@value #REQUESTS}
 * choices between instance a (weight 3, zone-1) and instance b (weight 1, zone-2), made
 * by Spring Cloud LoadBalancer's own balancers, with the strategy switched while the
 * balancer runs. docs/resilience.md shows the measured shares.
 */
class StrategicLoadBalancerTest {

	private static final int REQUESTS = 4000;

	private final AtomicReference<LoadBalancingStrategies> strategies = new AtomicReference<>();

	private final StrategicLoadBalancer balancer = new StrategicLoadBalancer("user-service", new Instances(),
			new LoadBalancerZoneConfig("zone-1"), strategies::get);

	@Test
	void roundRobinAlternates() {
		use(LoadBalancingStrategies.Strategy.ROUND_ROBIN);
		assertThat(shareOfA()).isCloseTo(0.50, within(0.001));
	}

	@Test
	void randomSpreadsEvenlyWithinFiveStandardDeviations() {
		use(LoadBalancingStrategies.Strategy.RANDOM);
		// Binomial, p = 0.5: one standard deviation of the share is 0.0079 at 4000.
		assertThat(shareOfA()).isCloseTo(0.50, within(0.04));
	}

	@Test
	void weightedFollowsTheRegistrationsWeights() {
		use(LoadBalancingStrategies.Strategy.WEIGHTED);
		assertThat(shareOfA()).isCloseTo(0.75, within(0.01));
	}

	@Test
	void zonePreferenceKeepsToTheCallersZone() {
		use(LoadBalancingStrategies.Strategy.ZONE_PREFERENCE);
		assertThat(shareOfA()).isEqualTo(1.0);
	}

	@Test
	void aServiceOfItsOwnAndASwitchWhileRunning() {
		strategies.set(new LoadBalancingStrategies(LoadBalancingStrategies.Strategy.ROUND_ROBIN,
				Map.of("user-service", LoadBalancingStrategies.Strategy.WEIGHTED)));
		assertThat(shareOfA()).isCloseTo(0.75, within(0.01));

		use(LoadBalancingStrategies.Strategy.ROUND_ROBIN);
		assertThat(shareOfA()).isCloseTo(0.50, within(0.001));
	}

	private void use(LoadBalancingStrategies.Strategy strategy) {
		strategies.set(new LoadBalancingStrategies(strategy, Map.of()));
	}

	private double shareOfA() {
		Map<String, Integer> counts = new TreeMap<>();
		for (int i = 0; i < REQUESTS; i++) {
			Response<ServiceInstance> chosen = balancer.choose(new DefaultRequest<>()).block(Duration.ofSeconds(1));
			assertThat(chosen.hasServer()).isTrue();
			counts.merge(chosen.getServer().getInstanceId(), 1, Integer::sum);
		}
		assertThat(Set.of("a", "b")).containsAll(counts.keySet());
		System.out.printf("FIGURE %s: %s of %d%n", strategies.get(), counts, REQUESTS);
		return counts.getOrDefault("a", 0) / (double) REQUESTS;
	}

	/** Two instances of user-service, as the registry would list them. */
	private static final class Instances implements ServiceInstanceListSupplier {

		private final List<ServiceInstance> instances = List.of(instance("a", "3", "zone-1"),
				instance("b", "1", "zone-2"));

		@Override
		public String getServiceId() {
			return "user-service";
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.just(instances);
		}

		private static ServiceInstance instance(String id, String weight, String zone) {
			return new DefaultServiceInstance(id, "user-service", "127.0.0.1", 8080, false,
					Map.of("weight", weight, "zone", zone));
		}

	}

}
