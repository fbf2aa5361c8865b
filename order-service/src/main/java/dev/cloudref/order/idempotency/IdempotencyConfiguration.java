package dev.cloudref.order.idempotency;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Creates {@link IdempotencyKeys} and schedules the deletion of expired keys.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdempotencyProperties.class)
@EnableScheduling
class IdempotencyConfiguration {

	@Bean
	IdempotencyKeys idempotencyKeys(R2dbcEntityOperations database, TransactionalOperator transactions,
			IdempotencyProperties properties, ObjectProvider<Registration> registration) {
		// This instance's address as the registry knows it: other instances ask it whether it is alive.
		String self = registration.stream()
			.findFirst()
			.map(instance -> "http://" + instance.getHost() + ":" + instance.getPort())
			.orElse(null);
		return new IdempotencyKeys(database, transactions, properties, Clock.systemUTC(), new ClaimHolders(self));
	}

	@Bean
	ExpiredKeysCleanup expiredKeysCleanup(IdempotencyKeys keys, IdempotencyProperties properties) {
		return new ExpiredKeysCleanup(keys, properties.cleanupInterval());
	}

}
