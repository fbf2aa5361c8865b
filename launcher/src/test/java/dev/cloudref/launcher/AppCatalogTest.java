package dev.cloudref.launcher;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AppCatalogTest {

	@Test
	void readsTheRepositorysList() {
		List<AppSpec> apps = AppCatalog.load(Path.of(".."));

		assertThat(apps).extracting(AppSpec::name)
			.startsWith("config-server", "eureka-server", "user-service", "order-service", "auth-server",
					"api-gateway");
		assertThat(apps.get(0).role()).isEqualTo(AppSpec.Role.CONFIG);
		AppSpec users = apps.get(2);
		assertThat(users.role()).isEqualTo(AppSpec.Role.SERVICE);
		assertThat(users.port()).isEqualTo(8081);
		assertThat(users.managementPort()).isEqualTo(9081);
		assertThat(users.instanceCount(3)).isEqualTo(3);
		assertThat(users.database()).isEqualTo("users");
		assertThat(users.probe()).isEqualTo("/api/users?page=0&size=1");
		assertThat(users.registryName()).isEqualTo("USER-SERVICE");
		assertThat(apps.get(1).database()).isNull();
		assertThat(apps.get(1).instanceCount(3)).isEqualTo(1);
		AppSpec auth = apps.get(4);
		assertThat(auth.instanceCount(3)).as("one authorization server").isEqualTo(1);
		assertThat(auth.probe()).isNull();
	}

	@Test
	void namesTheLineOfAMistake() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog.parse(List.of("# header", "a-service service 8081 9081 n"), "apps.conf"))
			.withMessageStartingWith("apps.conf line 2: expected 7 columns");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog.parse(List.of("a-service worker 8081 9081 n - -"), "apps.conf"))
			.withMessageContaining("role must be");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog.parse(List.of("a-service service 80810 9081 n - -"), "apps.conf"))
			.withMessageContaining("not a TCP port: 80810");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog.parse(List.of("a-service service 8081 9081 0 - -"), "apps.conf"))
			.withMessageContaining("instances must be n or a number >= 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog.parse(List.of("A_Service service 8081 9081 1 - -"), "apps.conf"))
			.withMessageContaining("lower-case words");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AppCatalog
				.parse(List.of("a-service service 8081 9081 1 - -", "a-service service 8082 9082 1 - -"), "apps.conf"))
			.withMessageContaining("listed twice");
	}

}
