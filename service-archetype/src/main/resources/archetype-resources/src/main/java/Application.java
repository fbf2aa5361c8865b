package ${package};

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * ${artifactId}: ${resources} behind the gateway at {@code /api/${resources}}. Registers with
 * Eureka, calls user-service through the load-balanced client of service-starter.
 */
@SpringBootApplication
public class Application {

	public static void main(String[] args) {
		SpringApplication.run(Application.class, args);
	}

}
