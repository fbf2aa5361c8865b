package dev.cloudref.starter.client;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Timeouts of the load-balanced {@link org.springframework.web.reactive.function.client.WebClient}
 * that services use to call each other ({@code cloudref.client.*}).
 *
 * <p>They nest inside the Resilience4j time limiter of each call: connect timeout &lt;
 * response timeout &lt; time limiter, so a dead instance fails fast enough for a retry on
 * another instance to fit within the caller's budget.
 *
 * @param connectTimeout TCP connect timeout (default 500 ms); a refused or unroutable
 * instance fails within it
 * @param responseTimeout time from request sent to response headers received (default
 * 2 s)
 */
@Validated
@ConfigurationProperties("cloudref.client")
public record ServiceClientProperties(@NotNull @DefaultValue("500ms") Duration connectTimeout,
		@NotNull @DefaultValue("2s") Duration responseTimeout) {
}
