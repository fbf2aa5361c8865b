package dev.cloudref.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API gateway, the system's only public entry: terminates TLS, authenticates API
 * keys, routes {@code /api/**} to the services through the registry and serves one
 * Swagger UI over every service's OpenAPI document ({@code /v3/api-docs/<service>}).
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
