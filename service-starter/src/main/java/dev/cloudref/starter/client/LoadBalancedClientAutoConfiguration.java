package dev.cloudref.starter.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Provides the {@link LoadBalanced @LoadBalanced} {@link WebClient.Builder} that
 * services use to call each other by service name ({@code http://user-service/...}).
 * Spring Cloud LoadBalancer picks the instance (round-robin by default) and, with
 * {@code spring.cloud.loadbalancer.retry.enabled=true}, retries idempotent requests on
 * another instance.
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

}
