package dev.cloudref.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ReflectionUtils;

/**
 * Applies the {@link TestEnvironment} in a static field of a test class (or a superclass)
 * to its application context, so the test needs no {@code @DynamicPropertySource}.
 * Registered in {@code META-INF/spring.factories}.
 */
public class TestEnvironmentCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		List<TestEnvironment> environments = new ArrayList<>();
		ReflectionUtils.doWithFields(testClass, field -> environments.add(environmentIn(field)),
				field -> Modifier.isStatic(field.getModifiers()) && field.getType() == TestEnvironment.class);
		return environments.isEmpty() ? null : new EnvironmentCustomizer(List.copyOf(environments));
	}

	private static TestEnvironment environmentIn(Field field) {
		ReflectionUtils.makeAccessible(field);
		return (TestEnvironment) ReflectionUtils.getField(field, null);
	}

	/**
	 * Adds the environments' properties; equal for the same environments, so contexts
	 * stay cached.
	 */
	private record EnvironmentCustomizer(List<TestEnvironment> environments) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
			for (TestEnvironment environment : environments) {
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("testEnvironment-" + System.identityHashCode(environment),
							environment.properties()));
			}
		}

	}

}
