package dev.cloudref.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.config.environment.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret kept in the config repository encrypted ({@code {cipher}...}) is served
 * decrypted when the config server has the key ({@code ENCRYPT_KEY}, here
 * {@code encrypt.key}), and only the cipher text is in the repository.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "encrypt.key=a-test-key-not-used-anywhere-else", "eureka.client.enabled=false" })
class EncryptedValuesTests {

	private static final Path REPOSITORY = temporaryRepository();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.config.server.native.search-locations", () -> REPOSITORY.toUri().toString());
	}

	@AfterAll
	static void deleteRepository() throws IOException {
		FileSystemUtils.deleteRecursively(REPOSITORY);
	}

	@Test
	void servesAnEncryptedValueDecrypted() throws IOException {
		RestClient http = RestClient.create("http://127.0.0.1:" + port);
		String cipher = http.post()
			.uri("/encrypt")
			.contentType(MediaType.TEXT_PLAIN)
			.body("s3cret")
			.retrieve()
			.body(String.class);
		assertThat(cipher).isNotBlank().doesNotContain("s3cret");
		Files.writeString(REPOSITORY.resolve("some-service.yml"), "db:\n  password: '{cipher}" + cipher + "'\n");

		Environment environment = http.get().uri("/some-service/default").retrieve().body(Environment.class);

		Map<?, ?> source = environment.getPropertySources().get(0).getSource();
		assertThat(source.get("db.password")).isEqualTo("s3cret");
		assertThat(Files.readString(REPOSITORY.resolve("some-service.yml"))).doesNotContain("s3cret");
	}

	private static Path temporaryRepository() {
		try {
			return Files.createTempDirectory("config-repo");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
