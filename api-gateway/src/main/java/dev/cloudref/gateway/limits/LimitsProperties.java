package dev.cloudref.gateway.limits;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway accepts from a client ({@code gateway.limits.*}; each has an env
 * override by relaxed binding, e.g. {@code GATEWAY_LIMITS_MAX_BODY_SIZE=128KB}).
 *
 * <p>The size limits are checked by the gateway itself and answered with a problem
 * detail; they must stay below Netty's hard caps ({@code server.max-http-request-header-size},
 * {@code server.netty.max-initial-line-length}), above which Netty answers on its own.
 *
 * @param maxBodySize largest request body in bytes (default 64 KiB), with or without
 * {@code Content-Length}; larger → {@code 413}
 * @param maxUriLength longest request target (path and query, as sent) in bytes
 * (default 4 KiB); longer → {@code 414}
 * @param maxHeaderSize largest total size of the request header fields in bytes,
 * counted as {@code name: value CRLF} per field (default 8 KiB); larger → {@code 431}
 * @param requestHeaderTimeout time a client has to send a complete request header
 * block, from its first byte (from the connection's start for the first request);
 * the connection is closed when it runs out (default 10 s)
 * @param requestBodyTimeout time a client has to send a whole request body once its
 * headers have arrived; the connection is closed when it runs out (default 30 s)
 */
@Validated
@ConfigurationProperties("gateway.limits")
public record LimitsProperties(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
		@NotNull @DefaultValue("4KB") DataSize maxUriLength, @NotNull @DefaultValue("8KB") DataSize maxHeaderSize,
		@NotNull @DefaultValue("10s") Duration requestHeaderTimeout,
		@NotNull @DefaultValue("30s") Duration requestBodyTimeout,
		@Min(1) @DefaultValue("100") int maxConcurrentStreams, @Min(1) @DefaultValue("256") int upstreamPendingAcquires) {
}
