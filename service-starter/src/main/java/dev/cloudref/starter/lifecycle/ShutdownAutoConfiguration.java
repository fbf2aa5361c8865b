package dev.cloudref.starter.lifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Graceful stop without failed requests: see {@link DeregisterFirstShutdown}. Active with
 * {@code server.shutdown=graceful} (the web server then finishes in-flight requests after
 * the drain); the drain delay is {@code cloudref.shutdown.drain-delay}.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "server.shutdown", havingValue = "graceful")
@EnableConfigurationProperties(ShutdownProperties.class)
public class ShutdownAutoConfiguration {

	/**
	 * @param events the application context
	 * @param registry the service registry (Eureka here), if any
	 * @param registration this instance's registration, if any
	 * @param properties the drain delay
	 * @return the lifecycle that takes the instance out of rotation first
	 */
	@Bean
	@SuppressWarnings("unchecked")
	public DeregisterFirstShutdown deregisterFirstShutdown(ApplicationEventPublisher events,
			ObjectProvider<ServiceRegistry<?>> registry, ObjectProvider<Registration> registration,
			ShutdownProperties properties) {
		// Each registry is typed by its own registration class (EurekaRegistration, ...).
		ServiceRegistry<Registration> anyRegistry = (ServiceRegistry<Registration>) registry.getIfAvailable();
		return new DeregisterFirstShutdown(events, anyRegistry, registration.getIfAvailable(), properties.drainDelay());
	}

}
