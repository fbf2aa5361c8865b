package dev.cloudref.user.orders;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Creates the {@link OrderServiceApi} proxy that calls order-service by name.
 */
@Configuration(proxyBeanMethods = false)
class OrderClientConfiguration {

	@Bean
	OrderServiceApi orderServiceApi(@LoadBalanced WebClient.Builder builder,
			@Value("${cloudref.clients.order-service.base-url:http://order-service}") String baseUrl) {
		WebClient webClient = builder.clone().baseUrl(baseUrl).build();
		return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(webClient))
			.build()
			.createClient(OrderServiceApi.class);
	}

}
