package dev.cloudref.gateway.routing;

import java.net.URI;
import java.util.Locale;

import dev.cloudref.starter.overload.RetryBudgets;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

/**
 * Route filter {@code BudgetedRetry}: Spring Cloud Gateway's {@code Retry}, with the same
 * arguments, that retries only while the service's {@link RetryBudgets budget} has room,
 * so the gateway does not multiply the load of an overloaded service.
 */
public class BudgetedRetryGatewayFilterFactory extends RetryGatewayFilterFactory {

	private final RetryBudgets budgets;

	/**
	 * @param budgets the retry budgets, one per service
	 */
	public BudgetedRetryGatewayFilterFactory(RetryBudgets budgets) {
		this.budgets = budgets;
	}

	@Override
	public GatewayFilter apply(RetryConfig retryConfig) {
		GatewayFilter retry = super.apply(retryConfig);
		return (exchange, chain) -> {
			this.budgets.recordRequest(serviceOf(exchange));
			return retry.filter(exchange, chain);
		};
	}

	/**
	 * Spring's filter asks this before each retry it might make and, on routes that retry
	 * on statuses, after every response. Only an attempt that would be retried (an error,
	 * or a status the route retries) consults the budget, so that a refusal counted in
	 * {@code cloudref.retry.budget.exhausted} is a retry not made.
	 */
	@Override
	public boolean exceedsMaxIterations(ServerWebExchange exchange, RetryConfig retryConfig) {
		if (super.exceedsMaxIterations(exchange, retryConfig)) {
			return true;
		}
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		if (status != null && !isRetriedStatus(status, retryConfig)) {
			return false;
		}
		return !this.budgets.hasRoom(serviceOf(exchange));
	}

	/** Called by Spring's filter just before each retry: the retry is counted here. */
	@Override
	@SuppressWarnings("deprecation")
	public void reset(ServerWebExchange exchange) {
		this.budgets.recordRetry(serviceOf(exchange));
		super.reset(exchange);
	}

	private static boolean isRetriedStatus(HttpStatusCode status, RetryConfig retryConfig) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return known != null
				&& (retryConfig.getStatuses().contains(known) || retryConfig.getSeries().contains(known.series()));
	}

	static String serviceOf(ServerWebExchange exchange) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null) {
			return "unknown";
		}
		URI uri = route.getUri();
		return (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : route.getId();
	}

}
