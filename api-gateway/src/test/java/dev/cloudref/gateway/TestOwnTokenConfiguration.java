package dev.cloudref.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.OutboundTokenAutoConfiguration;
import dev.cloudref.starter.security.OutboundTokens;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * In the gateway's tests no authorization server runs: the gateway's own token (sent with
 * API-key callers' requests) is {@value #TOKEN}, so tests can tell it from a caller's.
 * Registered in the test classpath's {@code AutoConfiguration.imports}.
 */
@AutoConfiguration(after = ReactiveOAuth2ClientAutoConfiguration.class, before = OutboundTokenAutoConfiguration.class)
public class TestOwnTokenConfiguration {

	/** The gateway's own access token in tests. */
	public static final String TOKEN = "gateway-test-token";

	@Bean
	OutboundTokens testOutboundTokens(ReactiveClientRegistrationRepository registrations) {
		return new OutboundTokens(
				request -> registrations.findByRegistrationId(request.getClientRegistrationId())
					.map(registration -> new OAuth2AuthorizedClient(registration, "api-gateway",
							new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, TOKEN, Instant.now(),
									Instant.now().plus(Duration.ofHours(12)))))
					.switchIfEmpty(Mono.error(new IllegalStateException("no client registration"))),
				"api-gateway", Duration.ofSeconds(5), Clock.systemUTC(), Duration.ofSeconds(5));
	}

}
