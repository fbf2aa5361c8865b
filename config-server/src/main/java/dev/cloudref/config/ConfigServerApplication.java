package dev.cloudref.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.config.server.EnableConfigServer;

/**
 * The config server (Spring Cloud Config): serves the config repository
 * ({@code config-repo/} of this repository by default, a git repository with the
 * {@code git} profile) to every app at {@code GET /{application}/{profiles}}, the shared
 * {@code application.yml} and the app's own file merged by the client. Apps import it
 * with {@code spring.config.import=optional:configserver:...} (docs/configuration.md).
 */
@SpringBootApplication
@EnableConfigServer
public class ConfigServerApplication {

	/**
	 * Starts the config server.
	 * @param args Spring Boot command-line arguments ({@code --server.port=...} etc.)
	 */
	public static void main(String[] args) {
		SpringApplication.run(ConfigServerApplication.class, args);
	}

}
