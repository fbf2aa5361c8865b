package dev.cloudref.gateway.tls;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP Strict Transport Security (RFC 6797) on the gateway's HTTPS port
 * ({@code gateway.hsts.*}).
 *
 * @param enabled whether HTTPS responses carry {@code Strict-Transport-Security}
 * (default true); env {@code GATEWAY_HSTS_ENABLED}
 * @param maxAge how long a browser keeps to HTTPS for this host after a response
 * (default 365 days, sent in whole seconds; {@code 0} tells browsers to forget an earlier
 * policy); env {@code GATEWAY_HSTS_MAX_AGE}. HSTS binds a host name, not a port: a
 * browser that trusts the gateway's certificate on {@code localhost} uses HTTPS for every
 * {@code localhost} port for that long, which is why the local launcher sends 5 minutes
 * @param includeSubdomains whether the policy covers the host's subdomains too (default
 * false: only with a real certificate and after checking every subdomain serves HTTPS)
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
