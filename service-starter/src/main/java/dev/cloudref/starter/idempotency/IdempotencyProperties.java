package dev.cloudref.starter.idempotency;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How idempotency keys are held and kept ({@code cloudref.idempotency.*}).
 *
 * <p>The lease only decides how soon a crashed request stops blocking its key; it never
 * allows a duplicate: a request that outlives its lease loses its claim and stores
 * nothing. Keep it above the time a live request holds its key (for example a remote
 * check's time limiter plus a short transaction), and short, since a client retrying
 * after a crash gets {@code 409} until it runs out.
 *
 * @param enabled whether the starter creates {@link IdempotencyKeys} and its clean-up
 * (default {@code true}; needs R2DBC and an {@code idempotency_keys} table)
 * @param lease how long a request may hold a key before another request with the key
 * may take it over (default 5 s, at least 1 s)
 * @param retention how long a completed key is kept, counted from its completion; a
 * request with the key after that creates a new resource (default 24 h, at least 1 s)
 * @param cleanupInterval how often each instance deletes expired keys (default 1 h, at
 * least 1 s)
 */
@Validated
@ConfigurationProperties("cloudref.idempotency")
public record IdempotencyProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("5s") Duration lease,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("24h") Duration retention,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("1h") Duration cleanupInterval) {
}
