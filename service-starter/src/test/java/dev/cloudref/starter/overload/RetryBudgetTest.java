package dev.cloudref.starter.overload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

	private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());

	@Test
	void allowsRetriesUpToTheRatioOfRequestsPlusTheMinimum() {
		RetryBudget budget = new RetryBudget(0.2, 1, Duration.ofSeconds(10), this.nanos::get);
		for (int i = 0; i < 100; i++) {
			budget.recordRequest();
		}

		assertThat(retriesAllowed(budget)).as("20% of 100 requests plus 1 a second for 10 s").isEqualTo(30);
	}

	@Test
	void withoutRequestsOnlyTheMinimumIsAllowed() {
		RetryBudget budget = new RetryBudget(0.2, 0, Duration.ofSeconds(10), this.nanos::get);

		assertThat(retriesAllowed(budget)).isZero();
		budget.recordRequest();
		budget.recordRequest();
		budget.recordRequest();
		budget.recordRequest();
		budget.recordRequest();
		assertThat(retriesAllowed(budget)).as("20% of 5").isEqualTo(1);
	}

	@Test
	void requestsAndRetriesOlderThanTheWindowNoLongerCount() {
		RetryBudget budget = new RetryBudget(0.5, 0, Duration.ofSeconds(10), this.nanos::get);
		for (int i = 0; i < 10; i++) {
			budget.recordRequest();
		}
		assertThat(retriesAllowed(budget)).isEqualTo(5);

		advance(Duration.ofSeconds(5));
		assertThat(budget.tryRetry()).as("still within the window: used up").isFalse();
		for (int i = 0; i < 10; i++) {
			budget.recordRequest();
		}
		assertThat(retriesAllowed(budget)).as("20 requests, 5 retries already made").isEqualTo(5);

		advance(Duration.ofSeconds(6));
		assertThat(retriesAllowed(budget)).as("only the second 10 requests are in the window").isZero();

		advance(Duration.ofSeconds(10));
		assertThat(budget.hasRoom()).as("all of it is older than the window").isFalse();
		budget.recordRequest();
		budget.recordRequest();
		assertThat(retriesAllowed(budget)).isEqualTo(1);
	}

	@Test
	void aRecordedRetryUsesTheBudgetLikeATriedOne() {
		RetryBudget budget = new RetryBudget(0.1, 0, Duration.ofSeconds(10), this.nanos::get);
		for (int i = 0; i < 20; i++) {
			budget.recordRequest();
		}
		assertThat(budget.hasRoom()).isTrue();
		budget.recordRetry();
		budget.recordRetry();

		assertThat(budget.hasRoom()).isFalse();
		assertThat(budget.tryRetry()).isFalse();
	}

	@Test
	void switchedOffBudgetsAllowEveryRetryAndRefusalsAreCounted() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RetryBudgets off = new RetryBudgets(new RetryBudgetProperties(false, 0, 0, Duration.ofSeconds(10)), meters);
		RetryBudgets on = new RetryBudgets(new RetryBudgetProperties(true, 0, 0, Duration.ofSeconds(10)), meters);

		assertThat(off.tryRetry("order-service")).isTrue();
		assertThat(on.tryRetry("order-service")).isFalse();
		assertThat(on.hasRoom("order-service")).isFalse();

		assertThat(meters.get("cloudref.retry.budget.exhausted").tag("service", "order-service").counter().count())
			.isEqualTo(2);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	private static int retriesAllowed(RetryBudget budget) {
		int allowed = 0;
		while (budget.tryRetry()) {
			allowed++;
		}
		return allowed;
	}

}
