package dev.cloudref.starter.lifecycle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an instance leaves rotation when it is asked to stop ({@code cloudref.shutdown.*}).
 *
 * @param drainDelay time between "not ready / deregistered" and the start of the web
 * server's graceful shutdown (default 3 s): long enough for every client to drop the
 * instance from its list (LoadBalancer health check every 1 s; registry fetch every
 * 2 s), while the instance still serves whatever reaches it. {@code 0} skips the wait.
 */
@Validated
@ConfigurationProperties("cloudref.shutdown")
public record ShutdownProperties(@NotNull @DefaultValue("3s") Duration drainDelay) {
}
