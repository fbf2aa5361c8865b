package dev.cloudref.starter.idempotency;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How idempotency keys are held and kept ({@code cloudref.idempotency.*}). The lease only
 * decides how soon a crashed request stops blocking its key; it never allows a duplicate.
 *
 * @param enabled whether to create {@link IdempotencyKeys} and its clean-up (default
 * {@code true})
 * @param lease how long a request may hold a key before another may take it (default 5 s,
 * min 1 s)
 * @param retention how long a completed key is kept after completion (default 24 h, min 1
 * s)
 * @param cleanupInterval how often each instance deletes expired keys (default 1 h, min 1
 * s)
 */
@Validated
@ConfigurationProperties("cloudref.idempotency")
public record IdempotencyProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("5s") Duration lease,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("24h") Duration retention,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("1h") Duration cleanupInterval) {
}
