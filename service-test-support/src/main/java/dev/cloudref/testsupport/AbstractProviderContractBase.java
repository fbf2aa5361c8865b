package dev.cloudref.testsupport;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.ResourceServerProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of a service's {@code ProviderContractBase}, for the tests Spring Cloud Contract
 * generates from {@code contracts/<service>/}: the whole service over HTTP, on an
 * in-memory H2 database that holds what the contracts name.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "eureka.client.enabled=false",
		"management.server.port=0", "cloudref.loadbalancer.health-check.enabled=false" })
public abstract class AbstractProviderContractBase {

	@LocalServerPort
	private int port;

	@Autowired
	private R2dbcEntityOperations database;

	@Autowired
	private ResourceServerProperties security;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.inMemory(registry, "provider-contracts");
	}

	/**
	 * Points the generated requests at this application and stores the data the contracts
	 * expect, before each generated test.
	 */
	@BeforeEach
	public void setUpProvider() {
		Contracts.sendGeneratedRequestsTo(port,
				TestTokens.issue(security.issuer(), security.audience(), "contract-consumer", Duration.ofMinutes(10),
						Stream.of(security.readScope(), security.writeScope()).filter(s -> !s.isBlank()).toList()));
		storeContractData(database).block(Duration.ofSeconds(10));
	}

	/**
	 * Stores (again, replacing any earlier copy) the data the contracts name.
	 * @param database the service's database
	 * @return completes when stored
	 */
	protected abstract Mono<Void> storeContractData(R2dbcEntityOperations database);

}
