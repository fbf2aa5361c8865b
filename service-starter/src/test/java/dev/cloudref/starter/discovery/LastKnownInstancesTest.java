package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class LastKnownInstancesTest {

	static final ServiceInstance ONE = new DefaultServiceInstance("things-1", "things", "127.0.0.1", 8081, false);

	static final ServiceInstance TWO = new DefaultServiceInstance("things-2", "things", "127.0.0.1", 8082, false);

	final Deque<List<ServiceInstance>> registryAnswers = new ArrayDeque<>();

	final LastKnownInstances instances = new LastKnownInstances(new ServiceInstanceListSupplier() {
		@Override
		public String getServiceId() {
			return "things";
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.just(registryAnswers.poll());
		}
	});

	@Test
	void passesTheRegistrysListThrough() {
		registryAnswers.addAll(List.of(List.of(ONE, TWO), List.of(TWO)));

		assertThat(fetch()).containsExactly(ONE, TWO);
		assertThat(fetch()).as("a smaller list replaces the last one").containsExactly(TWO);
	}

	@Test
	void keepsTheLastKnownInstancesWhenTheRegistryAnswersEmpty() {
		registryAnswers.addAll(List.of(List.of(ONE, TWO), List.of(), List.of(ONE)));

		assertThat(fetch()).containsExactly(ONE, TWO);
		assertThat(fetch()).as("empty registry, e.g. just restarted").containsExactly(ONE, TWO);
		assertThat(fetch()).containsExactly(ONE);
	}

	@Test
	void isEmptyUntilTheRegistryKnowsAnInstance() {
		registryAnswers.add(List.of());

		assertThat(fetch()).isEmpty();
	}

	private List<ServiceInstance> fetch() {
		return instances.get().blockFirst(Duration.ofSeconds(5));
	}

}
