package dev.cloudref.starter.overload;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The retry budget of each called service ({@code cloudref.retry-budget.*}, see
 * {@link RetryBudget}): retries may add at most {@code ratio} extra requests.
 *
 * @param enabled whether retries are limited by the budget (default {@code true})
 * @param ratio retries allowed per request (default 0.2: at most 20% extra load)
 * @param minRetriesPerSecond retries always allowed per second, for quiet clients
 * (default 10)
 * @param window how far back requests and retries count (default 10 s)
 */
@Validated
@ConfigurationProperties("cloudref.retry-budget")
public record RetryBudgetProperties(@DefaultValue("true") boolean enabled,
		@DecimalMin("0.0") @DefaultValue("0.2") double ratio, @Min(0) @DefaultValue("10") int minRetriesPerSecond,
		@NotNull @DefaultValue("10s") Duration window) {
}
