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
 * Passive outlier detection of {@link InstanceRotation} ({@code cloudref.loadbalancer.outlier-detection.*}),
 * after Envoy's consecutive-failure ejection: an instance whose real requests fail
 * {@code consecutiveFailures} times in a row leaves rotation for a back-off period and
 * then returns by itself.
 *
 * <p>A failure is a connection that could not be made or broke (refused, reset, closed
 * early: any {@link java.io.IOException}), a response that did not arrive in time, or a
 * status in {@code failureStatuses}. A {@code 503} is not one by default: here it means
 * the instance is alive and said so (load shed, or a dependency of its own is down).
 *
 * @param enabled whether real-traffic failures eject instances (default {@code true})
 * @param consecutiveFailures failures in a row that eject an instance (default 5)
 * @param baseEjectionTime how long the first ejection lasts (default 5 s); the n-th in a
 * row lasts {@code 2^(n-1)} times as long, at most {@code maxEjectionTime}
 * @param maxEjectionTime the longest ejection (default 60 s); an instance that served
 * without being ejected again for this long starts over at {@code baseEjectionTime}
 * @param maxEjectionShare the largest share of the registry's instances, from 0 to 1,
 * ejected at one time (default 0.5; at least one instance may always be ejected when
 * there are two or more)
 * @param failureStatuses response statuses counted as failures (default 500, 502, 504)
 */
@Validated
@ConfigurationProperties("cloudref.loadbalancer.outlier-detection")
public record OutlierDetectionProperties(@DefaultValue("true") boolean enabled,
		@Min(1) @DefaultValue("5") int consecutiveFailures, @NotNull @DefaultValue("5s") Duration baseEjectionTime,
		@NotNull @DefaultValue("60s") Duration maxEjectionTime,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double maxEjectionShare,
		@NotNull @DefaultValue({ "500", "502", "504" }) Set<Integer> failureStatuses) {
}
