package dev.cloudref.eureka;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "EUREKA_USER=registry", "EUREKA_PASSWORD=test-registry-password" })
class EurekaServerApplicationTests {

	private static final String INSTANCE = """
			{"instance":{"instanceId":"fake:1","hostName":"127.0.0.1","app":"USER-SERVICE","ipAddr":"127.0.0.1",
			"status":"UP","port":{"$":9,"@enabled":"true"},
			"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}""";

	@LocalServerPort
	private int port;

	private RestClient http;

	@BeforeEach
	void connect() {
		http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void refusesAnonymousRegistrationsReadsAndTheDashboard() {
		assertThat(register(null)).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(register("registry:wrong-password")).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(status(http.get().uri("/eureka/apps").accept(MediaType.APPLICATION_JSON)))
			.isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(status(http.get().uri("/"))).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(status(http.delete().uri("/eureka/apps/USER-SERVICE/fake:1"))).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(registeredUserServices()).doesNotContain("fake:1");
	}

	@Test
	void servesTheRegistryToClientsWithCredentials() {
		assertThat(register("registry:test-registry-password")).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(registeredUserServices()).contains("fake:1");
		assertThat(status(http.get().uri("/").headers(h -> h.setBasicAuth("registry", "test-registry-password"))))
			.isEqualTo(HttpStatus.OK);
		assertThat(status(http.delete()
			.uri("/eureka/apps/USER-SERVICE/fake:1")
			.headers(h -> h.setBasicAuth("registry", "test-registry-password")))).isEqualTo(HttpStatus.OK);
	}

	@Test
	void exposesReadinessAndPrometheusWithoutCredentials() {
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("UP");
		assertThat(http.get().uri("/actuator/prometheus").retrieve().body(String.class))
			.contains("jvm_memory_used_bytes");
	}

	private HttpStatusCode register(String credentials) {
		return status(http.post().uri("/eureka/apps/USER-SERVICE").headers(headers -> {
			if (credentials != null) {
				String[] parts = credentials.split(":", 2);
				headers.setBasicAuth(parts[0], parts[1]);
			}
		}).contentType(MediaType.APPLICATION_JSON).body(INSTANCE));
	}

	private String registeredUserServices() {
		return String.valueOf(http.get()
			.uri("/eureka/apps/USER-SERVICE")
			.accept(MediaType.APPLICATION_JSON)
			.headers(h -> h.setBasicAuth("registry", "test-registry-password"))
			.retrieve()
			.body(String.class));
	}

	private static HttpStatusCode status(RestClient.RequestHeadersSpec<?> request) {
		return request.retrieve().toBodilessEntity().getStatusCode();
	}

}
