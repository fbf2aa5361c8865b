package dev.cloudref.starter.security;

import dev.cloudref.starter.web.ProblemHandlingAutoConfiguration;
import dev.cloudref.starter.web.ProblemResponses;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Makes every service an OAuth2 resource server (Spring Security, RFC 6750): each request
 * to the service's port needs a valid bearer token from the authorization server
 * ({@link BearerTokenDecoders}) with the read or write scope
 * {@link ResourceServerProperties} names; the gateway relays its callers' tokens, and
 * services call each other with their own ({@link OutboundTokenAutoConfiguration}). Only
 * actuator endpoints (on the management port) and the health probes the main port serves
 * for LoadBalancer clients ({@code /readyz}, {@code /livez}) are open. Stateless: no
 * session, no CSRF token, no login form. Off with
 * {@code cloudref.security.resource-server.enabled=false}.
 */
@AutoConfiguration(after = ProblemHandlingAutoConfiguration.class,
		before = { ReactiveOAuth2ResourceServerAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class,
				ReactiveManagementWebSecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnBooleanProperty(name = "cloudref.security.resource-server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResourceServerProperties.class)
@EnableWebFluxSecurity
public class ResourceServerAutoConfiguration {

	/**
	 * @param properties issuer, audience and key set
	 * @param loadBalancer for an {@code lb://} key set
	 * @return the decoder of the services' tokens (tests may provide their own)
	 */
	@Bean
	@ConditionalOnMissingBean
	public ReactiveJwtDecoder bearerTokenDecoder(ResourceServerProperties properties,
			ObjectProvider<LoadBalancedExchangeFilterFunction> loadBalancer) {
		return BearerTokenDecoders.create(properties.jwkSetUri(), properties.issuer(), properties.audience(),
				loadBalancer);
	}

	/**
	 * @param http Spring Security's builder
	 * @param properties the scopes reads and writes need
	 * @param problems writes the refusals as problem details
	 * @return the one filter chain: actuator endpoints and health probes open, the
	 * OpenAPI document with any valid token, every other {@code GET}/{@code HEAD} with
	 * the read scope, every other request with the write scope
	 */
	@Bean
	@ConditionalOnMissingBean
	public SecurityWebFilterChain resourceServerFilterChain(ServerHttpSecurity http,
			ResourceServerProperties properties, ProblemResponses problems) {
		ProblemSecurityResponses responses = new ProblemSecurityResponses(problems, properties);
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange(exchanges -> {
				// Actuator on the management port, and the health probes the main port
				// serves for LoadBalancer clients (/readyz, /livez: status only).
				exchanges.matchers(EndpointRequest.toAnyEndpoint()).permitAll();
				exchanges.matchers(EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class))
					.permitAll();
				// The OpenAPI document: any valid token (the gateway fetches it with its
				// own).
				exchanges.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").authenticated();
				requireScope(exchanges.pathMatchers(HttpMethod.GET, "/**"), properties.readScope());
				requireScope(exchanges.pathMatchers(HttpMethod.HEAD, "/**"), properties.readScope());
				requireScope(exchanges.anyExchange(), properties.writeScope());
			})
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> {
			})
				.authenticationEntryPoint(responses)
				.accessDeniedHandler(responses)
				.authenticationFailureHandler(responses))
			.exceptionHandling(
					exceptions -> exceptions.authenticationEntryPoint(responses).accessDeniedHandler(responses))
			.build();
	}

	/**
	 * @param problems writes the refusal as a problem detail
	 * @param properties the scopes (for the other answers of the same writer)
	 * @return what Spring Security's firewall answers to a request target it refuses: a
	 * 400 problem rather than a bare status
	 */
	@Bean
	@ConditionalOnMissingBean
	public ServerExchangeRejectedHandler problemExchangeRejectedHandler(ProblemResponses problems,
			ResourceServerProperties properties) {
		return new ProblemSecurityResponses(problems, properties);
	}

	private static void requireScope(AuthorizeExchangeSpec.Access access, String scope) {
		if (scope.isBlank()) {
			access.authenticated();
		}
		else {
			// Spring Security maps each scope of the token to the authority
			// SCOPE_<scope>.
			access.hasAuthority("SCOPE_" + scope);
		}
	}

}
