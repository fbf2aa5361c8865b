package dev.cloudref.starter.overload;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableExchangeFilterFunctionLoadBalancerRetryPolicy;

/**
 * The retry policy factory of the services' load-balanced WebClients: Spring Cloud's
 * default policy for the called service, inside a {@link BudgetedRetryPolicy}.
 */
public class BudgetedRetryPolicies implements LoadBalancerRetryPolicy.Factory {

	private final ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers;

	private final RetryBudgets budgets;

	/**
	 * @param loadBalancers for each service's {@code spring.cloud.loadbalancer.retry.*}
	 * @param budgets the budgets
	 */
	public BudgetedRetryPolicies(ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers, RetryBudgets budgets) {
		this.loadBalancers = loadBalancers;
		this.budgets = budgets;
	}

	/**
	 * LoadBalancer's retry filter asks for a policy once per request, before the first
	 * attempt; that call is where the request is counted in the service's budget.
	 */
	@Override
	public LoadBalancerRetryPolicy apply(String serviceId) {
		this.budgets.recordRequest(serviceId);
		return new BudgetedRetryPolicy(
				new RetryableExchangeFilterFunctionLoadBalancerRetryPolicy(this.loadBalancers.getProperties(serviceId)),
				this.budgets, serviceId);
	}

}
