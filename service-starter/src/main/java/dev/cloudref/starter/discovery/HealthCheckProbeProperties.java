package dev.cloudref.starter.discovery;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * @param responseTimeout time from probe sent to response received (default 750 ms,
 * below the probe interval). A probe that gets no answer in time is inconclusive: the
 * instance keeps the verdict of its last answered probe, because a busy instance is not
 * a dead one (a hung one is ejected by {@link OutlierDetectionProperties outlier
 * detection} on the timeouts of real requests)
 * @param panicThreshold share of the registry's instances, from 0 to 1 (default 0.5),
 * below which the list stops filtering: when fewer instances than this share have passed
 * their probe and are not ejected, every registry instance is chosen again (Envoy's panic
 * threshold), so slow probes can never empty the list; 0 switches this off
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.health-check")
public record HealthCheckProbeProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DefaultValue("250ms") Duration connectTimeout, @NotNull @DefaultValue("750ms") Duration responseTimeout,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double panicThreshold) {
}
