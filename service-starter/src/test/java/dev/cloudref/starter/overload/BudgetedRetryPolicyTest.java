package dev.cloudref.starter.overload;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableExchangeFilterFunctionLoadBalancerRetryPolicy;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetedRetryPolicyTest {

	/** 20% of requests, no allowance: 10 requests buy 2 retries. */
	private final RetryBudgets budgets = new RetryBudgets(
			new RetryBudgetProperties(true, 0.2, 0, Duration.ofSeconds(10)), new SimpleMeterRegistry());

	private final BudgetedRetryPolicy policy = new BudgetedRetryPolicy(
			new RetryableExchangeFilterFunctionLoadBalancerRetryPolicy(retryOnIoErrors()), this.budgets,
			"order-service");

	@Test
	void aRetryAfterAnIoErrorIsChargedOnceAlthoughTheFilterAsksTwice() {
		for (int i = 0; i < 10; i++) {
			this.budgets.recordRequest("order-service");
		}

		for (int retry = 0; retry < 2; retry++) {
			ConnectException refused = new ConnectException("refused");
			assertThat(this.policy.retryableException(refused)).as("the inner retry level decides").isTrue();
			assertThat(this.policy.retryableException(Exceptions.retryExhausted("inner level", refused)))
				.as("the outer level sees the inner level's wrapper")
				.isTrue();
		}

		assertThat(this.policy.retryableException(new ConnectException("refused"))).as("2 of 10 used up").isFalse();
	}

	@Test
	void whatThePolicyNeverRetriesIsNotCharged() {
		this.budgets.recordRequest("order-service");
		this.budgets.recordRequest("order-service");
		this.budgets.recordRequest("order-service");
		this.budgets.recordRequest("order-service");
		this.budgets.recordRequest("order-service");

		assertThat(this.policy.retryableException(new IllegalStateException("not an I/O error"))).isFalse();

		assertThat(this.policy.retryableException(new IOException("reset"))).as("the one retry of 5 requests").isTrue();
	}

	@Test
	void theFactoryCountsOneRequestPerPolicyItHandsOut() {
		BudgetedRetryPolicies policies = new BudgetedRetryPolicies(
				new LoadBalancerClientFactory(new LoadBalancerClientsProperties()), this.budgets);
		assertThat(this.budgets.hasRoom("order-service")).isFalse();

		for (int i = 0; i < 10; i++) {
			policies.apply("order-service");
		}

		assertThat(this.budgets.tryRetry("order-service")).isTrue();
		assertThat(this.budgets.tryRetry("order-service")).isTrue();
		assertThat(this.budgets.tryRetry("order-service")).as("20% of 10").isFalse();
		assertThat(this.budgets.tryRetry("user-service")).as("another service's budget").isFalse();
	}

	private static LoadBalancerProperties retryOnIoErrors() {
		LoadBalancerProperties properties = new LoadBalancerProperties();
		properties.getRetry().setEnabled(true);
		return properties;
	}

}
