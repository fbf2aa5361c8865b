package dev.cloudref.starter.idempotency;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.flywaydb.core.api.Location;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Adds the starter's {@code idempotency_keys} migration ({@value #LOCATION}) to every
 * service's Flyway locations, so the table is defined once, here. Off with
 * {@code cloudref.idempotency.enabled=false}.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnClass(name = { "org.flywaydb.core.Flyway",
		"org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer" })
@ConditionalOnProperty(name = "cloudref.idempotency.enabled", matchIfMissing = true)
public class IdempotencyMigrationAutoConfiguration {

	/** The starter's migrations: {@code V0_1__cloudref_idempotency_keys.sql}. */
	public static final String LOCATION = "classpath:db/cloudref/idempotency";

	/**
	 * @return a customizer that appends {@value #LOCATION} to the service's own locations
	 * ({@code spring.flyway.locations}, default {@code classpath:db/migration})
	 */
	@Bean
	public FlywayConfigurationCustomizer idempotencyMigrations() {
		return configuration -> {
			Set<Location> locations = new LinkedHashSet<>(Arrays.asList(configuration.getLocations()));
			locations.add(new Location(LOCATION));
			configuration.locations(locations.toArray(Location[]::new));
		};
	}

}
