package dev.cloudref.starter.lifecycle;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Stops an instance without failed requests: takes it out of rotation (readiness
 * {@code REFUSING_TRAFFIC}, deregistered), waits {@link ShutdownProperties#drainDelay()}
 * for clients to notice, and only then lets the web server's graceful shutdown start.
 */
public class DeregisterFirstShutdown implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeregisterFirstShutdown.class);

	private final ApplicationEventPublisher events;

	private final ServiceRegistry<Registration> registry;

	private final Registration registration;

	private final Duration drainDelay;

	private volatile boolean running;

	/**
	 * @param events where the readiness change is published (the application context)
	 * @param registry the service registry, or null when the app does not register
	 * @param registration this instance's registration, or null when it does not register
	 * @param drainDelay how long to keep serving after leaving rotation; zero or more
	 */
	public DeregisterFirstShutdown(ApplicationEventPublisher events, ServiceRegistry<Registration> registry,
			Registration registration, Duration drainDelay) {
		this.events = events;
		this.registry = registry;
		this.registration = registration;
		this.drainDelay = drainDelay;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		log.info("Leaving rotation: readiness REFUSING_TRAFFIC, deregistering, draining for {} ms",
				this.drainDelay.toMillis());
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		if (this.registry != null && this.registration != null) {
			try {
				this.registry.deregister(this.registration);
			}
			catch (RuntimeException ex) {
				// The registry may be down: clients still drop us through the readiness
				// probe.
				log.warn("Could not deregister from the service registry: {}", ex.toString());
			}
		}
		sleep(this.drainDelay);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return {@link Integer#MAX_VALUE}: stopped before the web server's graceful
	 * shutdown
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
