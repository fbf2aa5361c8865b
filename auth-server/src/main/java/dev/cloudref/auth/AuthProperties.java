package dev.cloudref.auth;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cloudref.auth.*}: what the tokens say and how their signing keys are kept.
 *
 * @param audience every access token's {@code aud} claim (RFC 9068 §2.2): the API the
 * gateway and the services accept tokens for
 * @param keys the signing keys
 * @param demoUser the demo's one person, who logs in for the authorization code grant
 */
@ConfigurationProperties("cloudref.auth")
@Validated
public record AuthProperties(@NotBlank String audience, @Valid @NotNull Keys keys,
		@Valid @DefaultValue DemoUser demoUser) {

	/**
	 * @param dir directory of the signing keys (one JWK JSON file each, private parts
	 * included, readable by the owner only)
	 * @param rotationPeriod a new signing key is made when the newest is this old; the
	 * previous key stays published until the next rotation
	 * @param checkInterval how often the age of the newest key is checked
	 */
	public record Keys(@NotNull Path dir, @NotNull Duration rotationPeriod, @NotNull Duration checkInterval) {
	}

	/**
	 * @param name the user name (default {@code demo})
	 * @param passwordHash the password in Spring Security's
	 * {@code DelegatingPasswordEncoder} form ({@code {pbkdf2@SpringSecurity_v5_8}...},
	 * {@code {bcrypt}...}); blank: nobody can log in
	 */
	public record DemoUser(@NotBlank @DefaultValue("demo") String name, @DefaultValue("") String passwordHash) {
	}

}
