package ${package};

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on an embedded H2 database, with user-service played by a
 * {@link MockWebServer} that the real load-balanced client finds through Spring Cloud's
 * simple discovery client (no registry needed).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
			// The mock answers the API only; health-checked instances are tested in service-starter.
			"cloudref.loadbalancer.health-check.enabled=false" })
@AutoConfigureWebTestClient(timeout = "PT20S")
@DirtiesContext
class ApplicationTest {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	@TempDir
	static Path dataDir;

	static final MockWebServer userService = new MockWebServer();

	/** Users that the fake user-service knows; it answers 404 for any other id. */
	static final Set<UUID> knownUsers = ConcurrentHashMap.newKeySet();

	/** While true, the fake user-service answers 500 to everything. */
	static volatile boolean userServiceFailing;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		userService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answerAsUserService(request);
			}
		});
		userService.start();
		registry.add("cloudref.data-dir", dataDir::toString);
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri",
				() -> "http://localhost:" + userService.getPort());
	}

	@AfterAll
	static void stopDatabaseAndUserService() throws SQLException {
		userService.close();
		try (Connection connection = DriverManager.getConnection(
				"jdbc:h2:file:" + dataDir + "/${database};AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
	}

	@Autowired
	WebTestClient client;

	@BeforeEach
	void userServiceAnswers() {
		userServiceFailing = false;
	}

	@Test
	void createsAndReadsAnOwnedResource() {
		UUID owner = knownUser();

		Map<String, Object> created = client.post()
			.uri("/${resources}")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "  first  ", "ownerId", owner))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();

		assertThat(created).containsEntry("name", "first").containsEntry("ownerId", owner.toString());
		String id = (String) created.get("id");
		client.get().uri("/${resources}/{id}", id).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(created);
		client.get()
			.uri("/${resources}?ownerId={owner}", owner)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].id")
			.isEqualTo(id);
	}

	@Test
	void answersWithARelativeLocation() {
		client.post()
			.uri("/${resources}")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "located", "ownerId", knownUser()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.value(HttpHeaders.LOCATION, location -> assertThat(location).matches("/${resources}/[0-9a-f-]{36}"));
	}

	@Test
	void refusesAnUnknownOwnerAndStoresNothing() {
		UUID stranger = UUID.randomUUID();

		expectProblem(client.post()
			.uri("/${resources}")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "orphan", "ownerId", stranger))
			.exchange(), 422);
		client.get().uri("/${resources}?ownerId={owner}", stranger).exchange().expectBody().json("[]");
	}

	@Test
	void refusesAnInvalidBodyWithTheFieldsAtFault() {
		expectProblem(client.post()
			.uri("/${resources}")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", " "))
			.exchange(), 400)
			.jsonPath("$.errors[*].field")
			.value(fields -> assertThat(fields.toString()).contains("name", "ownerId"));
	}

	@Test
	void answersNotFoundAsAProblem() {
		expectProblem(client.get().uri("/${resources}/{id}", UUID.randomUUID()).exchange(), 404);
	}

	@Test
	void answersServiceUnavailableWhenUserServiceFails() {
		userServiceFailing = true;

		expectProblem(client.post()
			.uri("/${resources}")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "later", "ownerId", UUID.randomUUID()))
			.exchange(), 503);
	}

	@Test
	void publishesItsOpenApiDocument() {
		client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/${resources}'].post.operationId")
			.isEqualTo("create${Resource}");
	}

	private static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status);
	}

	private static UUID knownUser() {
		UUID id = UUID.randomUUID();
		knownUsers.add(id);
		return id;
	}

	private static MockResponse answerAsUserService(RecordedRequest request) {
		if (userServiceFailing) {
			return new MockResponse.Builder().code(500).build();
		}
		String path = request.getUrl().encodedPath();
		if ("GET".equals(request.getMethod()) && path.startsWith("/users/")
				&& knownUsers.stream().anyMatch(user -> path.equals("/users/" + user))) {
			return new MockResponse.Builder().code(200)
				.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
				.body("{\"id\":\"" + path.substring("/users/".length()) + "\",\"name\":\"Known User\"}")
				.build();
		}
		return new MockResponse.Builder().code(404)
			.setHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
			.body("{\"status\":404,\"title\":\"User not found\"}")
			.build();
	}

}
