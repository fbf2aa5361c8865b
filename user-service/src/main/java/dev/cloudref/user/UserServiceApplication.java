package dev.cloudref.user;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The user service: owns users and their database, and asks order-service for a user's
 * orders.
 */
@SpringBootApplication
public class UserServiceApplication {

	/**
	 * Starts the service.
	 * @param args Spring Boot command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(UserServiceApplication.class, args);
	}

}
