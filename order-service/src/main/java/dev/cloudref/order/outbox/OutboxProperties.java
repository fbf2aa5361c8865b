package dev.cloudref.order.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay ({@code cloudref.outbox.*}).
 *
 * @param exchange the topic exchange events are published to (declared durable at start)
 * @param pollInterval how often the relay looks for unpublished events besides being
 * woken by a stored order (events of crashed instances, retries after a failure)
 * @param batchSize at most this many events per publish round
 * @param confirmTimeout how long the relay waits for the broker's confirms of a round;
 * unconfirmed events are published again in a later round
 * @param retryInterval after a failed round, the relay waits this long before the next
 * @param retention published events are deleted this long after publication
 */
@Validated
@ConfigurationProperties("cloudref.outbox")
public record OutboxProperties(@NotBlank String exchange, @NotNull Duration pollInterval,
		@Min(1) @Max(1000) int batchSize, @NotNull Duration confirmTimeout, @NotNull Duration retryInterval,
		@NotNull Duration retention) {

}
