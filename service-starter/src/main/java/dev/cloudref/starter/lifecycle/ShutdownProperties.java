package dev.cloudref.starter.lifecycle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an instance leaves rotation when it is asked to stop ({@code cloudref.shutdown.*}).
 *
 * @param drainDelay wait from deregistering to graceful shutdown (default 3 s; {@code 0}:
 * none)
 */
@Validated
@ConfigurationProperties("cloudref.shutdown")
public record ShutdownProperties(@NotNull @DefaultValue("3s") Duration drainDelay) {
}
