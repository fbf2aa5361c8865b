package dev.cloudref.gateway.limits;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway accepts from a client ({@code gateway.limits.*}). The size limits must
 * stay below Netty's hard caps ({@code server.max-http-request-header-size},
 * {@code server.netty.max-initial-line-length}), above which Netty answers on its own.
 *
 * @param maxBodySize largest request body in bytes (default 64 KiB) → {@code 413}
 * @param maxUriLength longest request target in bytes (default 4 KiB) → {@code 414}
 * @param maxHeaderSize largest header fields total in bytes (default 8 KiB) → {@code 431}
 * @param requestHeaderTimeout time allowed for a complete header block (default 10 s)
 * @param requestBodyTimeout time allowed for the body after the headers (default 30 s)
 * @param maxConcurrentStreams most open requests per HTTP/2 connection (default 100)
 * @param upstreamPendingAcquires most waiting requests per instance's pool (default 256)
 */
@Validated
@ConfigurationProperties("gateway.limits")
public record LimitsProperties(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
		@NotNull @DefaultValue("4KB") DataSize maxUriLength, @NotNull @DefaultValue("8KB") DataSize maxHeaderSize,
		@NotNull @DefaultValue("10s") Duration requestHeaderTimeout,
		@NotNull @DefaultValue("30s") Duration requestBodyTimeout,
		@Min(1) @DefaultValue("100") int maxConcurrentStreams,
		@Min(1) @DefaultValue("256") int upstreamPendingAcquires) {
}
