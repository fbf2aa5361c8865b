package dev.cloudref.starter.client;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
@AutoConfiguration
@EnableConfigurationProperties(ServiceClientProperties.class)
public class LoadBalancedClientAutoConfiguration {

	/**
	 * A prototype-style builder with connect and response timeouts from
	 * {@link ServiceClientProperties}. Each typed client calls {@code clone()} or
	 * {@code build()} on it.
	 * @param properties the timeouts
	 * @return the load-balanced builder
	 */
	@Bean
	@LoadBalanced
	@ConditionalOnMissingBean(name = "loadBalancedWebClientBuilder")
	public WebClient.Builder loadBalancedWebClientBuilder(ServiceClientProperties properties) {
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient));
	}

}
