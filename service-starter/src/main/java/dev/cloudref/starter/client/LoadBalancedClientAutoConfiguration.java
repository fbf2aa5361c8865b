package dev.cloudref.starter.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Configures how services call each other by service name ({@code http://user-service/...}):
 * Spring Cloud LoadBalancer picks the instance (round-robin by default) and, with
 * {@code spring.cloud.loadbalancer.retry.enabled=true}, retries idempotent requests on
 * another instance; connect and response timeouts are {@link ServiceClientProperties}.
 *
 * <p>The usual way is an HTTP service group named after the service, which needs no
 * configuration code:
 * <pre>{@code
 * @ImportHttpServices(group = "user-service", types = UserServiceApi.class,
 *         clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
 * }</pre>
 * Spring Cloud LoadBalancer gives the group the base URL {@code http://user-service}
 * with load balancing; {@code spring.http.serviceclient.user-service.base-url} points it
 * elsewhere (a fixed {@code http://host:port} is called directly, {@code lb://name}
 * load-balanced). For hand-written calls there is the
 * {@link LoadBalanced @LoadBalanced} {@link WebClient.Builder} bean.
 */
@AutoConfiguration(afterName = "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration")
@EnableConfigurationProperties(ServiceClientProperties.class)
public class LoadBalancedClientAutoConfiguration {

	/**
	 * A builder with connect and response timeouts from {@link ServiceClientProperties}
	 * and every {@link WebClientCustomizer} of the application applied, among them
	 * Spring Boot's codecs and observation customizers (so calls are timed, traced, and
	 * carry the W3C {@code traceparent} header). Each typed client calls
	 * {@code clone()} on it before adding its base URL.
	 * @param properties the timeouts
	 * @param customizers the application's WebClient customizers, in order
	 * @return the load-balanced builder
	 */
	@Bean
	@LoadBalanced
	@ConditionalOnMissingBean(name = "loadBalancedWebClientBuilder")
	public WebClient.Builder loadBalancedWebClientBuilder(ServiceClientProperties properties,
			ObjectProvider<WebClientCustomizer> customizers) {
		WebClient.Builder builder = WebClient.builder()
			.clientConnector(TimeoutConnectors.of(properties.connectTimeout(), properties.responseTimeout()));
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder;
	}

	/**
	 * The same timeouts for the WebClient of every HTTP service group.
	 * @param properties the timeouts
	 * @return the group configurer
	 */
	@Bean
	@ConditionalOnMissingBean(ServiceGroupTimeouts.class)
	public WebClientHttpServiceGroupConfigurer serviceGroupTimeouts(ServiceClientProperties properties) {
		return new ServiceGroupTimeouts(properties);
	}

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
