package dev.cloudref.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API gateway, the system's only public entry: terminates TLS, authenticates API
 * keys, routes {@code /api/**} to the services through the registry and serves one
 * Swagger UI over every service's OpenAPI document ({@code /v3/api-docs/<service>}).
 */
// The gateway authenticates its callers itself (ApiKeyAuthenticationFilter): no Spring
// Security filter chain. Spring Security's OAuth2 client (service-starter) stays: it
// obtains the gateway's own token for API-key callers (security.OwnTokenFilter).
@SpringBootApplication(exclude = { ReactiveWebSecurityAutoConfiguration.class,
		ReactiveManagementWebSecurityAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class,
		ReactiveOAuth2ResourceServerAutoConfiguration.class, ReactiveOAuth2ClientWebSecurityAutoConfiguration.class })
@ConfigurationPropertiesScan
public class GatewayApplication {

	/**
	 * Starts the gateway.
	 * @param args Spring Boot command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(GatewayApplication.class, args);
	}

}
