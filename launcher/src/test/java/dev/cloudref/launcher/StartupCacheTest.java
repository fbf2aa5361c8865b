package dev.cloudref.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StartupCacheTest {

	@Test
	void aTrainingReadsTheConfigRepositoryBesideTheModuleInsteadOfTheConfigServer(@TempDir Path repository)
			throws IOException {
		Path config = Files.createDirectories(repository.resolve("config-repo"));
		Files.writeString(config.resolve("application.yml"), "a: 1\n");
		Files.writeString(config.resolve("user-service.yml"), "b: 2\n");
		Path jar = repository.resolve("user-service/target/user-service-1.jar");

		assertThat(StartupCache.configRepositoryFiles(jar, "user-service"))
			.containsEntry("SPRING_CLOUD_CONFIG_ENABLED", "false")
			.containsEntry("SPRING_CONFIG_IMPORT", "optional:file:" + config.resolve("application.yml")
					+ ",optional:file:" + config.resolve("user-service.yml"));
		// An app without a file there (the registry, the config server) does not import.
		assertThat(
				StartupCache.configRepositoryFiles(repository.resolve("eureka-server/target/e.jar"), "eureka-server"))
			.isEmpty();
	}

}
