package dev.cloudref.eureka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * The service registry: every instance of every app registers here and fetches the
 * registry from here (Spring Cloud Netflix Eureka).
 */
@SpringBootApplication
@EnableEurekaServer
public class EurekaServerApplication {

	/**
	 * Starts the registry.
	 * @param args Spring Boot command-line arguments ({@code --server.port=...} etc.)
	 */
	public static void main(String[] args) {
		SpringApplication.run(EurekaServerApplication.class, args);
	}

}
