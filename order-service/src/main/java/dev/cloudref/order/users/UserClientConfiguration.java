package dev.cloudref.order.users;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Creates the {@link UserServiceApi} proxy that calls user-service by name.
 */
@Configuration(proxyBeanMethods = false)
class UserClientConfiguration {

	@Bean
	UserServiceApi userServiceApi(@LoadBalanced WebClient.Builder builder,
			@Value("${cloudref.clients.user-service.base-url:http://user-service}") String baseUrl) {
		WebClient webClient = builder.clone().baseUrl(baseUrl).build();
		return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(webClient))
			.build()
			.createClient(UserServiceApi.class);
	}

}
