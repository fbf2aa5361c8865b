package dev.cloudref.auth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The authorization server (Spring Authorization Server): issues JWT access tokens to the
 * configured clients and publishes the keys that verify them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthServerApplication {

	/**
	 * Starts the authorization server.
	 * @param args Spring Boot command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(AuthServerApplication.class, args);
	}

}
