package dev.cloudref.gateway.security;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys the gateway accepts ({@code gateway.api-keys}), as
 * {@code <key-id>:<sha256-hex-of-key>} entries: hashes, never keys. Several entries may
 * be active at once, so a key can be rotated without downtime.
 *
 * @param apiKeys the entries; an empty list refuses every {@code /api/**} request
 */
@Validated
@ConfigurationProperties("gateway")
public record ApiKeyProperties(@DefaultValue( {
	}) List<@Pattern(regexp = "[A-Za-z0-9._-]{1,64}:[0-9a-fA-F]{64}",
			message = "must be <key-id>:<64 hex digits of SHA-256>") String> apiKeys){
}
