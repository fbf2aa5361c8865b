package dev.cloudref.user.orders;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.client.DependencyUnavailableException;

import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Lists a user's orders from order-service, through the load-balanced HTTP service group
 * {@code order-service} ({@link OrderServiceApi}), guarded by the Resilience4j circuit
 * breaker and time limiter {@code resilience4j.*.instances.order-service}.
 */
@Component
@ImportHttpServices(group = "order-service", types = OrderServiceApi.class,
		clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
class OrderClient {

	private final OrderServiceApi api;

	private final ReactiveCircuitBreaker circuitBreaker;

	OrderClient(OrderServiceApi api, ReactiveCircuitBreakerFactory<?, ?> circuitBreakers) {
		this.api = api;
		this.circuitBreaker = circuitBreakers.create("order-service");
	}

	/**
	 * @param userId the user
	 * @param page zero-based page number
	 * @param size orders per page, 1..100
	 * @return one page of the user's orders, oldest first; fails with
	 * {@link DependencyUnavailableException} (503, "Orders unavailable") when
	 * order-service cannot answer
	 */
	Mono<OrderPageView> ordersOf(UUID userId, int page, int size) {
		return circuitBreaker.run(api.findByUser(userId, page, size),
				failure -> Mono.error(new DependencyUnavailableException("Orders unavailable",
						"order-service is unavailable; the user's orders cannot be listed right now.", failure)));
	}

}
