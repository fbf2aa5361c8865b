package dev.cloudref.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API gateway: the only public entry. Terminates TLS, authenticates API keys and
 * routes {@code /api/**} to the services by name through the registry. Also serves one
 * Swagger UI ({@code /swagger-ui.html}) over every service's OpenAPI document, each
 * fetched from the service through the route {@code /v3/api-docs/<service>}.
 */
@SpringBootApplication
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
