package dev.cloudref.starter.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ConfigServerUnreachableTest {

	@Test
	void aStartWithoutItsConfigServerFailsWithTheAddressAndReasonInOneLine() throws IOException {
		int closedPort = closedPort();
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);

		// Command-line arguments win over the build's spring.cloud.config.enabled=false.
		Throwable failure = catchThrowable(() -> application.run("--spring.application.name=some-service",
				"--spring.cloud.config.enabled=true",
				"--spring.config.import=optional:configserver:http://127.0.0.1:" + closedPort,
				"--spring.cloud.config.fail-fast=true", "--spring.cloud.config.retry.max-attempts=2",
				"--spring.cloud.config.retry.initial-interval=50", "--spring.cloud.config.retry.max-interval=60"));

		FailureAnalysis analysis = new ConfigServerUnreachable().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("No configuration from the config server: ")
			.contains("http://127.0.0.1:" + closedPort + "/some-service/default")
			.contains("Connection refused")
			.doesNotContain("\n");
		assertThat(analysis.getAction()).contains("CONFIG_SERVER_URL");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
