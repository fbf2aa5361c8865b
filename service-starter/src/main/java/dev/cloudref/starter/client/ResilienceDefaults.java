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
 * Adds service-starter's Resilience4j defaults
 * ({@code META-INF/cloudref/resilience4j-defaults.properties}: circuit breaker, time
 * limiter and bulkhead {@code configs.default}) to the environment as default
 * properties, the lowest-precedence property source. Every circuit breaker that Spring
 * Cloud CircuitBreaker creates for a call to another service starts from them; a service
 * overrides any key in its {@code application.yml} or environment, for all calls
 * ({@code resilience4j.*.configs.default.*}) or for one called service
 * ({@code resilience4j.*.instances.<service>.*}).
 *
 * <p>Registered in {@code META-INF/spring.factories}; see Spring Boot's "Customize the
 * Environment or ApplicationContext Before It Starts".
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
			return PropertiesLoaderUtils.loadProperties(new ClassPathResource(LOCATION, ResilienceDefaults.class.getClassLoader()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + LOCATION, ex);
		}
	}

}
