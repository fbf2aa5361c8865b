package dev.cloudref.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.config.environment.Environment;
import org.springframework.cloud.config.environment.PropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config server serving this repository's config-repo/ (the native backend), as the
 * apps fetch it: {@code GET /{application}/{profiles}}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.cloud.config.server.native.search-locations=file:../config-repo/", "eureka.client.enabled=false" })
class ConfigServerApplicationTests {

	@LocalServerPort
	private int port;

	/**
	 * The API's port unless MANAGEMENT_PORT is set; a random one here, as server.port is.
	 */
	@LocalManagementPort
	private int managementPort;

	private RestClient http;

	@BeforeEach
	void connect() {
		http = RestClient.create("http://127.0.0.1:" + port);
	}

	@Test
	void servesAServiceItsOwnFileOverTheSharedOne() {
		Environment environment = fetch("/user-service/default");

		assertThat(environment.getPropertySources()).extracting(PropertySource::getName)
			.first()
			.asString()
			.isEqualTo("file:../config-repo/user-service.yml");
		assertThat(value(environment, "resilience4j.circuitbreaker.instances.order-service.base-config"))
			.isEqualTo("default");
		assertThat(value(environment, "resilience4j.timelimiter.configs.default.timeout-duration")).isEqualTo("4s");
		// Placeholders reach the app as written: it resolves them in its own environment.
		assertThat(value(environment, "eureka.client.service-url.defaultZone"))
			.isEqualTo("${EUREKA_URL:http://localhost:8761/eureka/}");
	}

	@Test
	void servesAProfilesDocumentsOnlyToThatProfile() {
		String postgresUrl = "r2dbc:postgresql://${DB_HOST:localhost}:${DB_PORT:5432}/${DB_NAME:${cloudref.database}}";
		assertThat(value(fetch("/order-service/postgres"), "spring.r2dbc.url")).isEqualTo(postgresUrl);
		assertThat(value(fetch("/order-service/default"), "spring.r2dbc.url")).asString().startsWith("r2dbc:h2:");
	}

	@Test
	void letsAnAppsFileOverrideTheSharedOneInAProfileToo() {
		Environment docker = fetch("/api-gateway/docker");
		assertThat(value(docker, "server.port")).isEqualTo("${SERVER_PORT:8443}");
		assertThat(value(fetch("/user-service/docker"), "server.port")).isEqualTo(8080);
	}

	@Test
	void exposesReadinessAndPrometheus() {
		RestClient http = RestClient.create("http://127.0.0.1:" + managementPort);
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("UP");
		assertThat(http.get().uri("/actuator/prometheus").retrieve().body(String.class))
			.contains("jvm_memory_used_bytes");
	}

	private Environment fetch(String path) {
		return http.get().uri(path).retrieve().body(Environment.class);
	}

	/**
	 * The value the client would see: the first property source (highest precedence) that
	 * has it.
	 */
	private static Object value(Environment environment, String key) {
		List<Map<?, ?>> sources = environment.getPropertySources()
			.stream()
			.<Map<?, ?>>map(PropertySource::getSource)
			.toList();
		return sources.stream()
			.filter(source -> source.containsKey(key))
			.findFirst()
			.map(source -> source.get(key))
			.orElse(null);
	}

}
