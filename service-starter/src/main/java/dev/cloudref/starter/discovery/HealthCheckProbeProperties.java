package dev.cloudref.starter.discovery;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The health-checked instance lists of {@link HealthCheckedInstancesConfiguration}
 * ({@code cloudref.loadbalancer.health-check.*}); the probe's path and interval are
 * Spring Cloud's own {@code spring.cloud.loadbalancer.health-check.*} properties.
 *
 * @param enabled whether LoadBalancer clients choose only instances whose probe passed
 * (default {@code true})
 * @param connectTimeout TCP connect timeout of one probe (default 250 ms): a crashed
 * instance on a reachable host refuses at once, an unreachable one fails within it
 * @param responseTimeout time from probe sent to response received (default 750 ms): a
 * hung instance fails its probe instead of stalling the check
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.health-check")
public record HealthCheckProbeProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DefaultValue("250ms") Duration connectTimeout, @NotNull @DefaultValue("750ms") Duration responseTimeout) {
}
