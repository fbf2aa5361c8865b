package ${package}.users;

import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Creates the {@link UserServiceApi} proxy that calls user-service by its registry name.
 */
@Configuration(proxyBeanMethods = false)
class UserClientConfiguration {

	@Bean
	UserServiceApi userServiceApi(@LoadBalanced WebClient.Builder builder) {
		WebClient webClient = builder.clone().baseUrl("http://user-service").build();
		return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(webClient))
			.build()
			.createClient(UserServiceApi.class);
	}

}
