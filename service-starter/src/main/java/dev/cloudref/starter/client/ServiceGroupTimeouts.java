package dev.cloudref.starter.client;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Gives every HTTP service group's {@link WebClient} ({@code @ImportHttpServices(group =
 * "user-service", ...)}) the connect and response timeouts of
 * {@link ServiceClientProperties} ({@code cloudref.client.*}), the same as the
 * {@code @LoadBalanced} builder's.
 *
 * <p>Runs right after Spring Boot's {@code spring.http.serviceclient.<group>.*}
 * configurer, whose connector it replaces, and before Spring Cloud LoadBalancer's, which
 * sets each group's base URL ({@code http://<group>} unless
 * {@code spring.http.serviceclient.<group>.base-url} says otherwise) and adds the
 * load-balancing filter.
 */
class ServiceGroupTimeouts implements WebClientHttpServiceGroupConfigurer {

	private final ServiceClientProperties properties;

	ServiceGroupTimeouts(ServiceClientProperties properties) {
		this.properties = properties;
	}

	@Override
	public void configureGroups(HttpServiceGroupConfigurer.Groups<WebClient.Builder> groups) {
		groups.forEachClient((group, builder) -> builder
			.clientConnector(TimeoutConnectors.of(properties.connectTimeout(), properties.responseTimeout())));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
