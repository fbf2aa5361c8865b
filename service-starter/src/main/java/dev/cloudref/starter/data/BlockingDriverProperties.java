package dev.cloudref.starter.data;

import java.util.Set;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which R2DBC drivers block the subscribing thread, and how many threads they may block
 * ({@code cloudref.r2dbc.blocking-driver.*}).
 *
 * @param names the drivers' {@code ConnectionFactoryMetadata} names (default {@code H2};
 * none: off)
 * @param threads the most threads the drivers may occupy at once (default 32; above the
 * pool size)
 */
@Validated
@ConfigurationProperties("cloudref.r2dbc.blocking-driver")
public record BlockingDriverProperties(@DefaultValue("H2") Set<String> names, @DefaultValue("32") @Min(1) int threads) {

}
