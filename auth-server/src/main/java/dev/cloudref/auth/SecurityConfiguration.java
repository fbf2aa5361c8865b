package dev.cloudref.auth;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cloudref.auth.login.PublicAddress;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

/**
 * One filter chain: Spring Authorization Server's endpoints (authorization, token, JWK
 * Set, metadata, introspection, revocation) as it configures them; a login form for a
 * person (the authorization code grant: a browser asking {@code /oauth2/authorize}
 * without a session is sent to {@code /login}); the actuator (on the management port)
 * open; everything else needs an authenticated client or user.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
		return http.oauth2AuthorizationServer(Customizer.withDefaults())
			.authorizeHttpRequests(requests -> requests
				// Served on the management port (loopback outside containers) only.
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.permitAll()
				.anyRequest()
				.authenticated())
			// A browser without a session goes to the login form, everyone else gets 401:
			// mappings, since an entry point set outright switches the login page off.
			.exceptionHandling(exceptions -> exceptions
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers())
				.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
						AnyRequestMatcher.INSTANCE))
			.formLogin(Customizer.withDefaults())
			.build();
	}

	/**
	 * @return requests that ask for HTML by name ({@code Accept: text/html}, not just any
	 * type): browsers
	 */
	private static RequestMatcher browsers() {
		MediaTypeRequestMatcher browser = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		browser.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return browser;
	}

	/**
	 * The demo's one person ({@code cloudref.auth.demo-user}), for the authorization code
	 * grant (Swagger UI's "Authorize"). Without a password hash nobody can log in.
	 */
	@Bean
	UserDetailsService users(AuthProperties properties) {
		AuthProperties.DemoUser user = properties.demoUser();
		if (!StringUtils.hasText(user.passwordHash())) {
			log.warn("User {} has no password hash (AUTH_DEMO_USER_PASSWORD_HASH): nobody can log in", user.name());
			return new InMemoryUserDetailsManager();
		}
		return new InMemoryUserDetailsManager(
				User.withUsername(user.name()).password(user.passwordHash()).roles("USER").build());
	}

	/**
	 * URLs the server builds name the gateway's address (the issuer), not its own port.
	 */
	@Bean
	PublicAddress publicAddress(@Value("${spring.security.oauth2.authorizationserver.issuer}") URI issuer) {
		return new PublicAddress(issuer);
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
