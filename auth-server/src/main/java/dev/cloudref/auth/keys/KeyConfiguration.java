package dev.cloudref.auth.keys;

import java.time.Clock;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.cloudref.auth.AuthProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Wires the {@link SigningKeys} into Spring Authorization Server: its JWK Set endpoint
 * ({@code /oauth2/jwks}) publishes every published key, its token generator signs with
 * the current one only (Nimbus' encoder refuses to choose among several), and the keys'
 * age is checked every {@code cloudref.auth.keys.check-interval}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class KeyConfiguration implements SchedulingConfigurer {

	private final SigningKeys keys;

	private final AuthProperties properties;

	KeyConfiguration(AuthProperties properties) {
		this.properties = properties;
		this.keys = new SigningKeys(properties.keys().dir(), properties.keys().rotationPeriod(), Clock.systemUTC());
	}

	@Bean
	SigningKeys signingKeys() {
		return keys;
	}

	@Bean
	JWKSource<SecurityContext> jwkSource() {
		return (selector, context) -> selector.select(keys.published());
	}

	@Bean
	JwtEncoder jwtEncoder() {
		return new NimbusJwtEncoder((selector, context) -> selector.select(new JWKSet(keys.current())));
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(keys::rotateIfDue, properties.keys().checkInterval());
	}

}
