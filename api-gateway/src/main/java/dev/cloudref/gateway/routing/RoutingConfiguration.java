package dev.cloudref.gateway.routing;

import dev.cloudref.starter.overload.RetryBudgets;

import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gateway additions for routing: the instance list that service-starter builds for every
 * {@code lb://} route (health-checked registry instances) skips the instance a retry
 * comes from, and request bodies that a retry may resend are held on the heap.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	/**
	 * @param budgets the retry budgets (service-starter), one per service
	 * @return the {@code BudgetedRetry} route filter: {@code Retry} within a retry budget
	 */
	@Bean
	BudgetedRetryGatewayFilterFactory budgetedRetryGatewayFilterFactory(RetryBudgets budgets) {
		return new BudgetedRetryGatewayFilterFactory(budgets);
	}

	/**
	 * @return request bodies copied to the heap before the Retry filter caches them
	 */
	@Bean
	HeapCopiedRequestBody heapCopiedRequestBody() {
		return new HeapCopiedRequestBody();
	}

	/**
	 * @param discovery the registry client (composite: Eureka and any static instances)
	 * @param publisher where {@code RefreshRoutesEvent}s go
	 * @return route rebuilds only when the registry's services change, in place of Spring
	 * Cloud Gateway's listener
	 * ({@code spring.cloud.gateway.server.webflux.route-refresh-listener.enabled=false})
	 */
	@Bean
	DiscoveredRoutesRefresh discoveredRoutesRefresh(DiscoveryClient discovery, ApplicationEventPublisher publisher) {
		return new DiscoveredRoutesRefresh(discovery, publisher);
	}

	/**
	 * @return the delegate that makes a route's retry skip the instance that just failed
	 */
	@Bean
	ServiceInstanceListSupplierBuilder.DelegateCreator previousInstanceAvoidance() {
		return (context, delegate) -> new PreviousInstanceAvoidance(delegate);
	}

}
