package dev.cloudref.starter.security;

import java.time.Clock;
import java.time.Duration;

import dev.cloudref.starter.client.LoadBalancedUris;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.reactive.function.client.support.OAuth2WebClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Gives the app its own client-credentials token for calls to other services
 * ({@link OutboundTokens}) when the client registration
 * {@value OutboundTokens#REGISTRATION_ID} is configured
 * ({@code spring.security.oauth2.client.registration.outbound.*}, with
 * {@code provider.auth-server.token-uri}, which may be {@code lb://auth-server/...}).
 * HTTP service interfaces annotated {@code @ClientRegistrationId("outbound")} send it as
 * {@code Authorization: Bearer} (Spring Security's HTTP service client integration).
 */
@AutoConfiguration(after = ReactiveOAuth2ClientAutoConfiguration.class)
@ConditionalOnBean(ReactiveClientRegistrationRepository.class)
public class OutboundTokenAutoConfiguration {

	/**
	 * @param registrations the configured client registrations
	 * @param clients Spring Boot's in-memory store of obtained tokens
	 * @param loadBalancer for an {@code lb://} token endpoint
	 * @param application the app's name, under which its token is cached
	 * @param renewBefore how long before its expiry the token is renewed
	 * ({@code cloudref.security.outbound-token.renew-before}, default 5 s: the services
	 * accept a token up to 60 s past its expiry, and a short-lived test token must not be
	 * renewed at every call)
	 * @return the manager of the app's own token
	 */
	@Bean
	@ConditionalOnMissingBean
	public OutboundTokens outboundTokens(ReactiveClientRegistrationRepository registrations,
			ReactiveOAuth2AuthorizedClientService clients,
			ObjectProvider<LoadBalancedExchangeFilterFunction> loadBalancer,
			@Value("${spring.application.name:application}") String application,
			@Value("${cloudref.security.outbound-token.renew-before:5s}") Duration renewBefore,
			@Value("${cloudref.security.outbound-token.timeout:5s}") Duration timeout) {
		WebClient.Builder client = WebClient.builder();
		loadBalancer.ifAvailable(lb -> client.filter(LoadBalancedUris.filter(lb)));
		WebClientReactiveClientCredentialsTokenResponseClient tokenEndpoint = new WebClientReactiveClientCredentialsTokenResponseClient();
		tokenEndpoint.setWebClient(client.build());
		ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider = new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
		provider.setAccessTokenResponseClient(tokenEndpoint);
		provider.setClockSkew(renewBefore);
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				registrations, clients);
		manager.setAuthorizedClientProvider(provider);
		return new OutboundTokens(manager, application, renewBefore, Clock.systemUTC(), timeout);
	}

	/**
	 * @param tokens the app's own token
	 * @return the configurer that makes HTTP service clients send it where
	 * {@code @ClientRegistrationId} asks for it
	 */
	@Bean
	public OAuth2WebClientHttpServiceGroupConfigurer outboundTokenHttpServiceGroups(OutboundTokens tokens) {
		return OAuth2WebClientHttpServiceGroupConfigurer.from(tokens);
	}

}
