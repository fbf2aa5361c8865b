package dev.cloudref.starter.overload;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.context.annotation.Bean;

/**
 * Retry budgets ({@link RetryBudgets}) for every called service and, where Spring Cloud
 * LoadBalancer retries, a retry policy that keeps to them
 * ({@link BudgetedRetryPolicies}).
 */
@AutoConfiguration(afterName = "org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration",
		beforeName = "org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration")
@ConditionalOnClass(LoadBalancerRetryPolicy.class)
@EnableConfigurationProperties(RetryBudgetProperties.class)
public class RetryBudgetAutoConfiguration {

	/**
	 * @param properties the budgets' settings
	 * @param meters where refused retries are counted (a private registry if the
	 * application has none)
	 * @return the budgets, one per called service
	 */
	@Bean
	@ConditionalOnMissingBean
	public RetryBudgets retryBudgets(RetryBudgetProperties properties, ObjectProvider<MeterRegistry> meters) {
		return new RetryBudgets(properties, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	/**
	 * @param loadBalancers the LoadBalancer clients, for each service's retry settings
	 * @param budgets the budgets
	 * @return the retry policy factory LoadBalancer's retry filter uses
	 */
	@Bean
	@ConditionalOnBean(ReactiveLoadBalancer.Factory.class)
	@ConditionalOnProperty(value = "spring.cloud.loadbalancer.retry.enabled", havingValue = "true")
	@ConditionalOnMissingBean
	public LoadBalancerRetryPolicy.Factory budgetedLoadBalancerRetryPolicy(
			ReactiveLoadBalancer.Factory<ServiceInstance> loadBalancers, RetryBudgets budgets) {
		return new BudgetedRetryPolicies(loadBalancers, budgets);
	}

}
