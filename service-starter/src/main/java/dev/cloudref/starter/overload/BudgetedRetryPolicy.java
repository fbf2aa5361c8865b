package dev.cloudref.starter.overload;

import reactor.core.Exceptions;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryContext;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.http.HttpMethod;

/**
 * Spring Cloud LoadBalancer's retry policy with a {@link RetryBudget} on top: a retry the
 * policy allows is made only if the called service's budget has room for it.
 */
public class BudgetedRetryPolicy implements LoadBalancerRetryPolicy {

	private final LoadBalancerRetryPolicy delegate;

	private final RetryBudgets budgets;

	private final String serviceId;

	/**
	 * @param delegate the policy that decides what may be retried at all
	 * @param budgets the budgets
	 * @param serviceId the called service, whose budget applies
	 */
	public BudgetedRetryPolicy(LoadBalancerRetryPolicy delegate, RetryBudgets budgets, String serviceId) {
		this.delegate = delegate;
		this.budgets = budgets;
		this.serviceId = serviceId;
	}

	@Override
	public boolean canRetrySameServiceInstance(LoadBalancerRetryContext context) {
		return this.delegate.canRetrySameServiceInstance(context) && this.budgets.tryRetry(this.serviceId);
	}

	@Override
	public boolean canRetryNextServiceInstance(LoadBalancerRetryContext context) {
		return this.delegate.canRetryNextServiceInstance(context) && this.budgets.tryRetry(this.serviceId);
	}

	@Override
	public boolean retryableStatusCode(int statusCode) {
		return this.delegate.retryableStatusCode(statusCode);
	}

	@Override
	public boolean retryableException(Throwable exception) {
		if (!this.delegate.retryableException(exception)) {
			return false;
		}
		if (Exceptions.isRetryExhausted(exception)) {
			// The inner retry level's wrapper around an error already decided on.
			return true;
		}
		return this.budgets.tryRetry(this.serviceId);
	}

	@Override
	public boolean canRetryOnMethod(HttpMethod method) {
		return this.delegate.canRetryOnMethod(method);
	}

}
