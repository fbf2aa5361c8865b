package dev.cloudref.starter.idempotency;

import java.time.Clock;

import dev.cloudref.starter.discovery.HealthCheckProbeProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Creates {@link IdempotencyKeys} in services that use Spring Data R2DBC and deletes
 * expired keys ({@link IdempotencyProperties}). Needs the {@code idempotency_keys} table
 * of the {@linkplain dev.cloudref.starter.idempotency package documentation}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnClass({ R2dbcEntityOperations.class, TransactionalOperator.class })
@ConditionalOnBean({ R2dbcEntityOperations.class, TransactionalOperator.class })
@ConditionalOnProperty(name = "cloudref.idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ IdempotencyProperties.class, HealthCheckProbeProperties.class })
@EnableScheduling
public class IdempotencyAutoConfiguration {

	/**
	 * The service's idempotency keys, recorded as held by this instance's registered
	 * address so that other instances can tell when it is gone.
	 * @param database the service's R2DBC database
	 * @param transactions its transactions
	 * @param properties lease and retention
	 * @param probe timeouts of the probe of a claim's holder
	 * @param registration this instance in the service registry, if it registers
	 * @return the keys
	 */
	@Bean
	@ConditionalOnMissingBean
	public IdempotencyKeys idempotencyKeys(R2dbcEntityOperations database, TransactionalOperator transactions,
			IdempotencyProperties properties, HealthCheckProbeProperties probe,
			ObjectProvider<Registration> registration) {
		// This instance's address as the registry knows it: other instances ask it
		// whether it is alive.
		String self = registration.stream()
			.findFirst()
			.map(instance -> "http://" + instance.getHost() + ":" + instance.getPort())
			.orElse(null);
		return new IdempotencyKeys(database, transactions, properties, Clock.systemUTC(), self, probe);
	}

	/**
	 * Deletes expired keys at startup and then every
	 * {@code cloudref.idempotency.cleanup-interval}.
	 * @param keys the keys
	 * @param properties the interval
	 * @return the scheduled clean-up
	 */
	@Bean
	@ConditionalOnMissingBean
	ExpiredKeysCleanup idempotencyKeysCleanup(IdempotencyKeys keys, IdempotencyProperties properties) {
		return new ExpiredKeysCleanup(keys, properties.cleanupInterval());
	}

}
