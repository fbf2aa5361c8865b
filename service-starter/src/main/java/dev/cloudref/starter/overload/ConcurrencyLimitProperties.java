package dev.cloudref.starter.overload;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The adaptive concurrency limit of every server built on the starter
 * ({@code cloudref.concurrency-limit.*}): Netflix concurrency-limits'
 * {@code Gradient2Limit}, between {@code minLimit} and {@code maxLimit}.
 *
 * @param enabled whether excess requests are shed (default {@code true})
 * @param initialLimit the limit at start, in requests in flight (default 64)
 * @param minLimit the lowest the limit goes (default 32)
 * @param maxLimit the highest the limit goes (default 512)
 * @param retryAfter the {@code Retry-After} of a shed request, whole seconds (default 1
 * s)
 * @param excludedPaths never shed (default {@code /readyz}, {@code /livez},
 * {@code /actuator/**})
 */
@Validated
@ConfigurationProperties("cloudref.concurrency-limit")
public record ConcurrencyLimitProperties(@DefaultValue("true") boolean enabled,
		@Min(1) @DefaultValue("64") int initialLimit, @Min(1) @DefaultValue("32") int minLimit,
		@Min(1) @DefaultValue("512") int maxLimit, @NotNull @DefaultValue("1s") Duration retryAfter,
		@NotNull @DefaultValue( {
				"/readyz", "/livez", "/actuator/**" }) List<String> excludedPaths){
}
