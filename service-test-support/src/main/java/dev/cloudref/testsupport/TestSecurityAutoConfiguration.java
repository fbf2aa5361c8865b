package dev.cloudref.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.BearerTokenDecoders;
import dev.cloudref.starter.security.OutboundTokenAutoConfiguration;
import dev.cloudref.starter.security.OutboundTokens;
import dev.cloudref.starter.security.ResourceServerAutoConfiguration;
import dev.cloudref.starter.security.ResourceServerProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * In a test of a service, {@link TestTokens} stand in for auth-server: the service trusts
 * their key (with its real issuer and audience checks), the test's {@code WebTestClient}
 * sends a token with the service's read and write scopes, and the service's calls to
 * other services carry a test token. A test of the refusals sends its own
 * {@code Authorization} header, or removes it.
 */
@AutoConfiguration(after = ReactiveOAuth2ClientAutoConfiguration.class,
		before = { ResourceServerAutoConfiguration.class, OutboundTokenAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "cloudref.security.resource-server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResourceServerProperties.class)
public class TestSecurityAutoConfiguration {

	/** Long enough for any test run, so that cached contexts keep valid tokens. */
	private static final Duration LIFETIME = Duration.ofHours(12);

	@Bean
	ReactiveJwtDecoder testTokenDecoder(ResourceServerProperties properties) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(TestTokens.publicKey()).build();
		decoder.setJwtValidator(BearerTokenDecoders.validator(properties.issuer(), properties.audience()));
		return decoder;
	}

	@Bean
	WebTestClientBuilderCustomizer testTokenHeader(ResourceServerProperties properties) {
		List<String> scopes = Stream.of(properties.readScope(), properties.writeScope())
			.filter(scope -> !scope.isBlank())
			.toList();
		String token = TestTokens.issue(properties.issuer(), properties.audience(), "test-client", LIFETIME, scopes);
		return builder -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
	}

	@Bean
	@ConditionalOnBean(ReactiveClientRegistrationRepository.class)
	OutboundTokens testOutboundTokens(ReactiveClientRegistrationRepository registrations,
			ResourceServerProperties properties, @Value("${spring.application.name:application}") String application) {
		return new OutboundTokens(
				request -> registrations.findByRegistrationId(request.getClientRegistrationId())
					.map(registration -> new OAuth2AuthorizedClient(registration, request.getPrincipal().getName(),
							new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
									TestTokens.issue(properties.issuer(), properties.audience(), application, LIFETIME,
											List.copyOf(registration.getScopes())),
									Instant.now(), Instant.now().plus(LIFETIME))))
					.switchIfEmpty(Mono.error(
							new IllegalStateException("no client registration " + request.getClientRegistrationId()))),
				application, Duration.ofSeconds(5), Clock.systemUTC(), Duration.ofSeconds(5));
	}

}
