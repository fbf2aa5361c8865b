package dev.cloudref.auth;

import java.util.List;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * One filter chain: Spring Authorization Server's endpoints (token, JWK Set, metadata,
 * introspection, revocation) as it configures them; the actuator (on the management port)
 * open; everything else needs an authenticated client.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
		return http.oauth2AuthorizationServer(Customizer.withDefaults())
			.authorizeHttpRequests(requests -> requests
				// Served on the management port (loopback outside containers) only.
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.permitAll()
				.anyRequest()
				.authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * Every access token names the API as its audience ({@code aud}, RFC 9068 §2.2), so a
	 * token issued here for something else is refused by the gateway and the services.
	 */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> audience(AuthProperties properties) {
		return context -> context.getClaims().audience(List.of(properties.audience()));
	}

}
