package dev.cloudref.starter.overload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One {@link RetryBudget} per called service, by service id (e.g. {@code order-service}),
 * created on first use with the same {@link RetryBudgetProperties}. A retry the budget
 * refuses is counted in {@code cloudref.retry.budget.exhausted} (tag {@code service}).
 */
public class RetryBudgets {

	private final RetryBudgetProperties properties;

	private final MeterRegistry meters;

	private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

	/**
	 * @param properties the budgets' ratio, allowance and window
	 * @param meters where refused retries are counted
	 */
	public RetryBudgets(RetryBudgetProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.meters = meters;
	}

	/**
	 * Counts one request (a first attempt) to a service.
	 * @param serviceId the called service, e.g. {@code order-service}
	 */
	public void recordRequest(String serviceId) {
		budget(serviceId).budget().recordRequest();
	}

	/**
	 * Decides whether a retry to a service fits its budget, and counts it if so.
	 * @param serviceId the called service
	 * @return {@code true} if the caller may retry now; always {@code true} when budgets
	 * are switched off
	 */
	public boolean tryRetry(String serviceId) {
		return decide(serviceId, RetryBudget::tryRetry);
	}

	/**
	 * Whether a retry to a service fits its budget now, without counting it; for callers
	 * whose decision and retry happen apart (they call {@link #recordRetry} when they
	 * retry). A {@code false} answer is counted as a refused retry.
	 * @param serviceId the called service
	 * @return {@code true} if a retry fits; always {@code true} when budgets are off
	 */
	public boolean hasRoom(String serviceId) {
		return decide(serviceId, RetryBudget::hasRoom);
	}

	private boolean decide(String serviceId, Predicate<RetryBudget> decision) {
		if (!this.properties.enabled()) {
			return true;
		}
		Budget budget = budget(serviceId);
		if (decision.test(budget.budget())) {
			return true;
		}
		budget.exhausted().increment();
		return false;
	}

	/**
	 * Counts one retry to a service.
	 * @param serviceId the called service
	 */
	public void recordRetry(String serviceId) {
		budget(serviceId).budget().recordRetry();
	}

	private Budget budget(String serviceId) {
		return this.budgets.computeIfAbsent(serviceId,
				id -> new Budget(
						new RetryBudget(this.properties.ratio(), this.properties.minRetriesPerSecond(),
								this.properties.window()),
						Counter.builder("cloudref.retry.budget.exhausted")
							.description("Retries not made because the service's retry budget was used up")
							.tag("service", id)
							.register(this.meters)));
	}

	private record Budget(RetryBudget budget, Counter exhausted) {
	}

}
