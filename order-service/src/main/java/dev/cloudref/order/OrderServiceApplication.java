package dev.cloudref.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: owns orders and their database, and asks user-service whether a user
 * exists before it accepts an order.
 */
@SpringBootApplication
public class OrderServiceApplication {

	/**
	 * Starts the service.
	 * @param args Spring Boot command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(OrderServiceApplication.class, args);
	}

}
