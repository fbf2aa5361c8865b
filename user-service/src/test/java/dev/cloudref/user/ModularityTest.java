package dev.cloudref.user;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages (application modules in Spring Modulith's terms) use each other
 * only as their {@code package-info.java} allows, without cycles, and only through public
 * types of a module's base package.
 */
class ModularityTest {

	final ApplicationModules modules = ApplicationModules.of(UserServiceApplication.class);

	@Test
	void featurePackagesDependOnlyOnWhatTheyDeclare() {
		modules.verify();
	}

	@Test
	void everyFeaturePackageIsAModule() {
		// A new feature package is a new module: declare its dependencies and list it
		// here.
		assertThat(modules.stream().map(ApplicationModule::getName)).containsExactlyInAnyOrder("user", "orders",
				"stats");
	}

}
