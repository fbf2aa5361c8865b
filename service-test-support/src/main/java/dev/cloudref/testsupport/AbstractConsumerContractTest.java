package dev.cloudref.testsupport;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.contract.stubrunner.spring.AutoConfigureStubRunner;
import org.springframework.cloud.contract.stubrunner.spring.StubRunnerProperties.StubsMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of a service's test against a provider as its contracts describe it
 * ({@code contracts/<provider>/<consumer>/}), with Stub Runner playing the provider. The
 * subclass names the provider with {@link StubsFromContracts}.
 */
@AutoConfigureStubRunner(stubsMode = StubsMode.REMOTE, generateStubs = true, stubsPerConsumer = true)
public abstract class AbstractConsumerContractTest extends AbstractServiceTest {

	/** The application's circuit breakers, closed before each test. */
	@Autowired
	protected CircuitBreakerRegistry circuitBreakers;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.inMemory(registry, "consumer-contracts");
	}

	/** Each test starts with every circuit closed, whatever the one before did. */
	@BeforeEach
	void closeTheCircuits() {
		circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

}
