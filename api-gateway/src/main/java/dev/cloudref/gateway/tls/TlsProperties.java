package dev.cloudref.gateway.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and for which names the gateway keeps its self-signed certificate
 * ({@code gateway.tls.*}); used only while {@code server.ssl.bundle} is
 * {@value SelfSignedTlsConfiguration#BUNDLE_NAME}.
 *
 * @param dir directory of {@code gateway.crt} and {@code gateway.key} (private, mode 600)
 * @param hostnames DNS names and IP addresses the certificate is valid for
 * @param validity how long a newly created certificate is valid (default 825 days)
 * @param renewBefore how long before expiry the certificate is replaced (default 30 days)
 * @param renewalCheckInterval how often the running gateway checks expiry (default 12 h)
 */
@Validated
@ConfigurationProperties("gateway.tls")
public record TlsProperties(@NotNull @DefaultValue(".local/certs") Path dir, @NotEmpty @DefaultValue( {
		"localhost", "127.0.0.1", "::1" }) List<String> hostnames, @NotNull @DefaultValue("825d") Duration validity,
		@NotNull @DefaultValue("30d") Duration renewBefore,
		@NotNull @DefaultValue("12h") Duration renewalCheckInterval){

	/**
	 * @return whether a new certificate lives longer than its renewal period (otherwise
	 * every check would renew it again)
	 */
	@AssertTrue(message = "gateway.tls.renew-before must be shorter than gateway.tls.validity")
	public boolean isRenewBeforeShorterThanValidity() {
		return validity == null || renewBefore == null || renewBefore.compareTo(validity) < 0;
	}

}
