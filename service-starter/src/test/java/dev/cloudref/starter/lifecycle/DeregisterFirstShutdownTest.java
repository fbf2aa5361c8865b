package dev.cloudref.starter.lifecycle;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class DeregisterFirstShutdownTest {

	final List<String> steps = new ArrayList<>();

	final ServiceRegistry<Registration> registry = new RecordingRegistry(steps);

	final Registration registration = new TestRegistration();

	@Test
	void refusesTrafficThenDeregistersThenDrains() {
		DeregisterFirstShutdown shutdown = new DeregisterFirstShutdown(event -> {
			if (event instanceof AvailabilityChangeEvent<?> change) {
				steps.add("readiness " + change.getState());
			}
		}, registry, registration, Duration.ofMillis(300));
		shutdown.start();

		long started = System.nanoTime();
		shutdown.stop();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(steps).containsExactly("readiness " + ReadinessState.REFUSING_TRAFFIC, "deregister");
		assertThat(shutdown.isRunning()).isFalse();
	}

	@Test
	void stopsBeforeTheWebServerStartsItsGracefulShutdown() {
		DeregisterFirstShutdown shutdown = new DeregisterFirstShutdown(event -> {
		}, registry, registration, Duration.ZERO);

		// Lifecycles stop in descending phase order; Boot's graceful shutdown runs at
		// Integer.MAX_VALUE - 1024 (WebServerGracefulShutdownLifecycle).
		assertThat(shutdown.getPhase()).isGreaterThan(Integer.MAX_VALUE - 1024);
	}

	@Test
	void stillDrainsWhenTheRegistryIsUnreachable() {
		ServiceRegistry<Registration> failing = new RecordingRegistry(steps) {
			@Override
			public void deregister(Registration registration) {
				throw new IllegalStateException("registry down");
			}
		};
		DeregisterFirstShutdown shutdown = new DeregisterFirstShutdown(event -> steps.add("event"), failing,
				registration, Duration.ZERO);
		shutdown.start();

		shutdown.stop();

		assertThat(steps).containsExactly("event");
	}

	@Test
	void worksWithoutARegistry() {
		DeregisterFirstShutdown shutdown = new DeregisterFirstShutdown(event -> steps.add("event"), null, null,
				Duration.ZERO);
		shutdown.start();

		shutdown.stop();

		assertThat(steps).containsExactly("event");
	}

	static class RecordingRegistry implements ServiceRegistry<Registration> {

		private final List<String> steps;

		RecordingRegistry(List<String> steps) {
			this.steps = steps;
		}

		@Override
		public void register(Registration registration) {
			steps.add("register");
		}

		@Override
		public void deregister(Registration registration) {
			steps.add("deregister");
		}

		@Override
		public void close() {
		}

		@Override
		public void setStatus(Registration registration, String status) {
		}

		@Override
		public <T> T getStatus(Registration registration) {
			return null;
		}

	}

	static class TestRegistration implements Registration {

		@Override
		public String getServiceId() {
			return "things";
		}

		@Override
		public String getHost() {
			return "127.0.0.1";
		}

		@Override
		public int getPort() {
			return 8080;
		}

		@Override
		public boolean isSecure() {
			return false;
		}

		@Override
		public URI getUri() {
			return URI.create("http://127.0.0.1:8080");
		}

		@Override
		public Map<String, String> getMetadata() {
			return Map.of();
		}

	}

}
