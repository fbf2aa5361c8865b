package dev.cloudref.starter.client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * How services call each other by service name ({@code http://user-service/...}): an HTTP
 * service group named after the service, which needs no configuration code:
 * <pre>{@code
 * @ImportHttpServices(group = "user-service", types = UserServiceApi.class,
 *         clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
 * }</pre>
 * Spring Cloud LoadBalancer gives the group the base URL {@code http://user-service} with
 * load balancing (round-robin by default) and, with
 * {@code spring.cloud.loadbalancer.retry.enabled=true}, retries idempotent requests on
 * another instance; {@code spring.http.serviceclient.user-service.base-url} points it
 * elsewhere. Connect and response timeouts are Spring Boot's
 * {@code spring.http.clients.connect-timeout} and {@code read-timeout} (per group
 * {@code spring.http.serviceclient.<group>.*}); the starter's defaults (500 ms, 2 s) come
 * with its Resilience4j defaults ({@link ResilienceDefaults}), inside whose time limiter
 * they nest. This class adds the one thing Spring does not do: retries that cover the
 * response body ({@link WholeResponseRetries}).
 */
@AutoConfiguration
public class LoadBalancedClientAutoConfiguration {

	/**
	 * LoadBalancer retries of an HTTP service group's call cover the response body too
	 * (see {@link WholeResponseRetries}).
	 * @return the group configurer
	 */
	@Bean
	public WebClientHttpServiceGroupConfigurer wholeResponseRetries() {
		return new WholeResponseRetries();
	}

}
