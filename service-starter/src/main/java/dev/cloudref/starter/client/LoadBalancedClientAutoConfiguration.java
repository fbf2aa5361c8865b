package dev.cloudref.starter.client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Lets services call each other by service name through an HTTP service group named after
 * the called service, load-balanced by Spring Cloud LoadBalancer, and makes its retries
 * cover the response body ({@link WholeResponseRetries}): <pre>{@code
 * &#64;ImportHttpServices(group = "user-service", types = UserServiceApi.class,
 *         clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
 * }</pre>
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
