package dev.cloudref.gateway.tls;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP Strict Transport Security (RFC 6797) on the gateway's HTTPS port
 * ({@code gateway.hsts.*}). HSTS binds a host name, not a port: a long {@code max-age} on
 * {@code localhost} sends a browser to HTTPS on every local port.
 *
 * @param enabled whether HTTPS responses carry the header (default true)
 * @param maxAge how long browsers keep to HTTPS (default 365 days; {@code 0} forgets)
 * @param includeSubdomains whether the policy covers subdomains too (default false)
 */
@Validated
@ConfigurationProperties("gateway.hsts")
public record HstsProperties(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("365d") Duration maxAge,
		@DefaultValue("false") boolean includeSubdomains) {

	/**
	 * @return the header's value, e.g. {@code max-age=31536000} or
	 * {@code max-age=31536000; includeSubDomains} (RFC 6797 section 6.1)
	 */
	public String headerValue() {
		return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "");
	}

}
