package dev.cloudref.starter.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.cloud.config.client.ConfigClientFailFastException;

/**
 * Explains in one line why a service did not start when its configuration could not be
 * fetched: Spring Cloud Config's client gave up (after
 * {@code spring.cloud.config.retry.*} attempts) and, with
 * {@code spring.cloud.config.fail-fast=true}, failed the start with a
 * {@link ConfigClientFailFastException} whose own message names neither the server nor
 * the reason. Registered in {@code META-INF/spring.factories}; Spring Boot prints the
 * analysis instead of the stack trace.
 */
public class ConfigServerUnreachable extends AbstractFailureAnalyzer<ConfigClientFailFastException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigClientFailFastException cause) {
		return new FailureAnalysis(description(cause),
				"Start the config server first (./run-local.sh starts it before the apps), or set CONFIG_SERVER_URL "
						+ "to where it runs. The attempts and their back-off are spring.cloud.config.retry.*.",
				cause);
	}

	/**
	 * @param failure the client's exception
	 * @return e.g.
	 * {@code No configuration from the config server: I/O error on GET request
	 * for "http://localhost:8888/user-service/local": Connection refused}
	 */
	static String description(ConfigClientFailFastException failure) {
		Throwable reason = (failure.getCause() != null) ? failure.getCause() : failure;
		String message = (reason.getMessage() != null) ? reason.getMessage() : reason.getClass().getName();
		return "No configuration from the config server: " + message.replaceAll("\\s+", " ").trim();
	}

}
