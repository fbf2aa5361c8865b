package dev.cloudref.user.stats;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where this service takes order-service's events from ({@code cloudref.order-events.*}).
 *
 * @param exchange order-service's topic exchange
 * @param queue this service's queue, bound to {@code order.placed}; durable, shared by
 * its instances (each event reaches one of them)
 * @param deadLetterQueue where events go that could not be applied, with the reason
 * ({@code x-exception-message} header)
 * @param applyTimeout longest wait for the database while applying one event; a timeout
 * counts as a failed attempt
 */
@Validated
@ConfigurationProperties("cloudref.order-events")
public record OrderEventsProperties(@NotBlank String exchange, @NotBlank String queue, @NotBlank String deadLetterQueue,
		@NotNull Duration applyTimeout) {

}
