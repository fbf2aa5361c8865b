package dev.cloudref.gateway.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: the gateway's management port listens on loopback in every profile but
 * docker, also when the {@code local} profile is not active; its public HTTPS port
 * listens everywhere ({@code SPRING_PROFILES_ACTIVE=postgres} alone), and it advertises
 * in the registry the address it listens on. Only this application's configuration is
 * resolved (an empty context), no server is started.
 */
class ListenAddressTest {

	@ParameterizedTest
	@CsvSource({ "local", "postgres", "local,postgres" })
	void listensOnLoopbackOutsideDocker(String profiles) {
		try (ConfigurableApplicationContext context = contextWith(profiles)) {
			Environment environment = context.getEnvironment();
			// The public HTTPS port is the one port open beyond loopback.
			assertThat(environment.getProperty("server.address")).isNull();
			assertThat(environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
			assertThat(environment.getProperty("eureka.instance.ip-address")).isEqualTo("127.0.0.1");
		}
	}

	@ParameterizedTest
	@CsvSource({ "docker", "'docker,postgres'" })
	void listensOnEveryInterfaceOfItsContainerInDocker(String profiles) {
		try (ConfigurableApplicationContext context = contextWith(profiles)) {
			Environment environment = context.getEnvironment();
			assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
			assertThat(environment.getProperty("management.server.address")).isEqualTo("0.0.0.0");
			assertThat(environment.getProperty("eureka.instance.ip-address"))
				.isEqualTo(environment.getProperty("spring.cloud.client.ip-address"))
				.isNotBlank();
		}
	}

	private static ConfigurableApplicationContext contextWith(String profiles) {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setAdditionalProfiles(profiles.split(","));
		return application.run();
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
