package dev.cloudref.eureka;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EurekaServerApplicationTests {

	@LocalServerPort
	private int port;

	private RestClient http;

	@BeforeEach
	void connect() {
		http = RestClient.create("http://127.0.0.1:" + port);
	}

	@Test
	void servesTheRegistry() {
		String apps = http.get().uri("/eureka/apps").header("Accept", "application/json").retrieve().body(String.class);
		assertThat(apps).contains("applications");
	}

	@Test
	void exposesReadinessAndPrometheus() {
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("UP");
		assertThat(http.get().uri("/actuator/prometheus").retrieve().body(String.class))
			.contains("jvm_memory_used_bytes");
	}

}
