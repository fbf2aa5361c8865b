package dev.cloudref.starter.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Adds the starter's Resilience4j defaults (circuit breaker, time limiter and bulkhead
 * {@code configs.default}) as the lowest-precedence property source, so a service can
 * override any key. Registered in {@code META-INF/spring.factories}.
 */
public class ResilienceDefaults implements EnvironmentPostProcessor {

	static final String LOCATION = "META-INF/cloudref/resilience4j-defaults.properties";

	/**
	 * @param environment the application's environment, before the context is created
	 * @param application the application
	 * @throws UncheckedIOException if the defaults cannot be read from the starter's jar
	 */
	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		loadDefaults().forEach((key, value) -> defaults.put((String) key, value));
		DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
	}

	private static Properties loadDefaults() {
		try {
			return PropertiesLoaderUtils
				.loadProperties(new ClassPathResource(LOCATION, ResilienceDefaults.class.getClassLoader()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + LOCATION, ex);
		}
	}

}
