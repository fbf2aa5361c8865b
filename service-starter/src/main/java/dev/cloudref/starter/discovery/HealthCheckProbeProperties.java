package dev.cloudref.starter.discovery;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The readiness probes and panic threshold of {@link HealthCheckedInstancesConfiguration}
 * ({@code cloudref.loadbalancer.health-check.*}); the probe's path and interval are
 * Spring Cloud's {@code spring.cloud.loadbalancer.health-check.*}.
 *
 * @param enabled whether clients choose only instances whose probe passed (default
 * {@code true})
 * @param connectTimeout TCP connect timeout of one probe (default 250 ms)
 * @param responseTimeout probe response timeout (default 750 ms); no answer keeps the
 * last verdict
 * @param panicThreshold ready share, 0 to 1, below which all are chosen (default 0.5; 0:
 * off)
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.health-check")
public record HealthCheckProbeProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DefaultValue("250ms") Duration connectTimeout,
		@NotNull @DefaultValue("750ms") Duration responseTimeout,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double panicThreshold) {
}
