package dev.cloudref.gateway.security;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys the gateway accepts ({@code gateway.api-keys}, env
 * {@code GATEWAY_API_KEYS}), as a list of {@code <key-id>:<sha256-hex-of-key>} entries.
 * The gateway never sees the keys themselves, only their SHA-256 hashes; the key id
 * names the key in logs and metrics. Several entries may be active at once, which is
 * how a key is rotated without downtime: add the new one, move clients, remove the old.
 *
 * <p>Example: {@code GATEWAY_API_KEYS=demo:5e88...d4,ops:9f86...08}
 *
 * @param apiKeys the entries; an empty list refuses every {@code /api/**} request
 */
@Validated
@ConfigurationProperties("gateway")
public record ApiKeyProperties(@DefaultValue({}) List<@Pattern(regexp = "[A-Za-z0-9._-]{1,64}:[0-9a-fA-F]{64}",
		message = "must be <key-id>:<64 hex digits of SHA-256>") String> apiKeys) {
}
