package dev.cloudref.gateway.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.cloudref.starter.overload.RetryBudgetProperties;
import dev.cloudref.starter.overload.RetryBudgets;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.RetryConfig;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetedRetryGatewayFilterFactoryTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicInteger attempts = new AtomicInteger();

	@Test
	void retriesA502WhileTheServiceHasBudgetThenSendsOnce() {
		// No allowance, 50% of requests.
		GatewayFilter filter = filter(new RetryBudgetProperties(true, 0.5, 0, Duration.ofSeconds(10)),
				new RetryConfig().setRetries(3).setStatuses(HttpStatus.BAD_GATEWAY).setSeries());
		// Spring's filter subscribes to the chain's Mono again for each retry.
		GatewayFilterChain badGateway = exchange -> Mono.fromRunnable(() -> {
			this.attempts.incrementAndGet();
			exchange.getResponse().setStatusCode(HttpStatus.BAD_GATEWAY);
		});

		for (int i = 0; i < 4; i++) {
			StepVerifier.create(filter.filter(exchange(), badGateway)).expectComplete().verify(Duration.ofSeconds(5));
		}

		// Half a retry per request: requests 2 and 4 get one retry each (1, 2, 1, 2
		// attempts), never the 3 retries each that the filter alone would make.
		assertThat(this.attempts.get()).as("4 first attempts plus the budget's 2 retries").isEqualTo(6);
		assertThat(this.meters.get("cloudref.retry.budget.exhausted").tag("service", "order-service").counter().count())
			.isPositive();
	}

	@Test
	void retriesAnIoErrorUpToItsRetriesWithBudget() {
		GatewayFilter filter = filter(new RetryBudgetProperties(true, 0.2, 10, Duration.ofSeconds(10)),
				new RetryConfig().setRetries(3).setSeries().setExceptions(IOException.class));

		StepVerifier.create(filter.filter(exchange(), exchange -> Mono.defer(() -> {
			this.attempts.incrementAndGet();
			return Mono.error(new IOException("Connection reset by peer"));
		}))).expectError(IOException.class).verify(Duration.ofSeconds(5));

		assertThat(this.attempts.get()).as("first attempt and 3 retries").isEqualTo(4);
	}

	@Test
	void anIoErrorIsNotRetriedWhenTheBudgetIsUsedUp() {
		GatewayFilter filter = filter(new RetryBudgetProperties(true, 0, 0, Duration.ofSeconds(10)),
				new RetryConfig().setRetries(3).setSeries().setExceptions(IOException.class));

		StepVerifier.create(filter.filter(exchange(), exchange -> Mono.defer(() -> {
			this.attempts.incrementAndGet();
			return Mono.error(new IOException("Connection refused"));
		}))).expectError(IOException.class).verify(Duration.ofSeconds(5));

		assertThat(this.attempts.get()).isEqualTo(1);
	}

	@Test
	void aSuccessDoesNotTouchTheBudget() {
		GatewayFilter filter = filter(new RetryBudgetProperties(true, 0, 0, Duration.ofSeconds(10)),
				new RetryConfig().setRetries(3).setStatuses(HttpStatus.BAD_GATEWAY).setSeries());

		StepVerifier.create(filter.filter(exchange(), exchange -> Mono.fromRunnable(() -> {
			this.attempts.incrementAndGet();
			exchange.getResponse().setStatusCode(HttpStatus.OK);
		}))).expectComplete().verify(Duration.ofSeconds(5));

		assertThat(this.attempts.get()).isEqualTo(1);
		assertThat(this.meters.find("cloudref.retry.budget.exhausted").counter().count()).isZero();
	}

	private GatewayFilter filter(RetryBudgetProperties budget, RetryConfig config) {
		return new BudgetedRetryGatewayFilterFactory(new RetryBudgets(budget, this.meters))
			.apply(config.setMethods(HttpMethod.GET));
	}

	private static MockServerWebExchange exchange() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders/1"));
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async().id("order-service").uri("lb://order-service").predicate(e -> true).build());
		return exchange;
	}

}
