package dev.cloudref.starter.client;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
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
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		WebClient.Builder builder = WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient));
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder;
	}

}
