package dev.cloudref.testsupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.contract.stubrunner.spring.AutoConfigureStubRunner;
import org.springframework.cloud.contract.stubrunner.spring.StubRunnerProperties.StubsMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of a service's test against another service as its contracts describe it
 * ({@code contracts/<provider>/<consumer>/}): the whole service on a random port, on an
 * in-memory H2 database, with Stub Runner playing the provider from the same contracts
 * that the provider's build verifies; the real load-balanced client finds the stub by
 * service name. The subclass names the provider with
 * {@link Contracts#stubsFromContractsFolder} in a {@code @DynamicPropertySource} method.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
			"cloudref.loadbalancer.health-check.enabled=false" })
@AutoConfigureStubRunner(stubsMode = StubsMode.REMOTE, generateStubs = true, stubsPerConsumer = true)
@AutoConfigureWebTestClient(timeout = "PT20S")
public abstract class AbstractConsumerContractTest {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.inMemory(registry, "consumer-contracts");
	}

}
