package dev.cloudref.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Turns {@link StubsFromContracts} into Stub Runner's properties: the stub's id
 * ({@code dev.cloudref:<service>}) and the contracts' folder as its repository.
 * Registered in {@code META-INF/spring.factories}.
 */
public class StubsFromContractsCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY)
			.get(StubsFromContracts.class)
			.synthesize(annotation -> annotation.isPresent())
			.map(annotation -> new StubsCustomizer(annotation.value()))
			.orElse(null);
	}

	/** Adds the properties; equal per service, so contexts stay cached. */
	private record StubsCustomizer(String service) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
			Path contracts = Path.of("..", "contracts", service).toAbsolutePath().normalize();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("stubsFromContracts",
						Map.of("spring.cloud.contract.stubrunner.ids", "dev.cloudref:" + service,
								"spring.cloud.contract.stubrunner.repository-root", "stubs://file://" + contracts)));
		}

	}

}
