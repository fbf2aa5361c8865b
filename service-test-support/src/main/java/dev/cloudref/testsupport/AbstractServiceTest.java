package dev.cloudref.testsupport;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of a test of a whole service over HTTP on a random port, without a registry:
 * LoadBalancer clients choose among the instances the test registers. The subclass
 * provides the database, typically through a {@link TestEnvironment}. A call that gets no
 * answer in 20 s fails the test with a thread dump ({@link ThreadDumpOnTimeout}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"cloudref.loadbalancer.health-check.enabled=false" })
@AutoConfigureWebTestClient(timeout = "PT20S")
@DirtiesContext
@ExtendWith(ThreadDumpOnTimeout.class)
public abstract class AbstractServiceTest {

	/** Calls the service under test (responses within 20 s, the machine may be busy). */
	@Autowired
	protected WebTestClient client;

}
