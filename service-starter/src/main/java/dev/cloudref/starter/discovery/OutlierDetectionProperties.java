package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Passive outlier detection of {@link InstanceRotation}
 * ({@code cloudref.loadbalancer.outlier-detection.*}), after Envoy's consecutive-failure
 * ejection: an instance that keeps failing leaves rotation for a back-off period.
 *
 * @param enabled whether real-traffic failures eject instances (default {@code true})
 * @param consecutiveFailures failures in a row that eject an instance (default 5)
 * @param baseEjectionTime the first ejection (default 5 s), doubled for each further one
 * in a row
 * @param maxEjectionTime the longest ejection, and the quiet time that resets it (default
 * 60 s)
 * @param maxEjectionShare largest share of instances ejected at once, 0 to 1 (default
 * 0.5)
 * @param failureStatuses statuses counted as failures (default 500, 502, 504; a 503 is
 * alive)
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.outlier-detection")
public record OutlierDetectionProperties(@DefaultValue("true") boolean enabled,
		@Min(1) @DefaultValue("5") int consecutiveFailures, @NotNull @DefaultValue("5s") Duration baseEjectionTime,
		@NotNull @DefaultValue("60s") Duration maxEjectionTime,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double maxEjectionShare, @NotNull @DefaultValue( {
				"500", "502", "504" }) Set<Integer> failureStatuses){
}
