package dev.cloudref.eureka;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Closes the registry to strangers: registering, renewing and cancelling a lease, reading
 * the registry (REST API), peer replication and the dashboard all need HTTP basic
 * credentials ({@code spring.security.user.name}/{@code password}, from
 * {@code EUREKA_USER}/{@code EUREKA_PASSWORD}). Clients and peers send them from the
 * user-info part of their service URL ({@code http://user:password@host:8761/eureka/}),
 * as the Spring Cloud Netflix documentation describes.
 * <p>
 * Open without credentials: the health probes, {@code info} and the Prometheus scrape,
 * which say nothing about the registered instances.
 */
@Configuration(proxyBeanMethods = false)
class RegistrySecurityConfiguration {

	@Bean
	SecurityFilterChain registrySecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			// Eureka's clients send no CSRF token; nothing here relies on a browser
			// session.
			.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
