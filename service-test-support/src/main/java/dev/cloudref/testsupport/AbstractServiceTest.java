package dev.cloudref.testsupport;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.cloudref.starter.security.ResourceServerProperties;

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

	/**
	 * Calls the service under test (responses within 20 s, the machine may be busy), with
	 * a token of the service's read and write scopes ({@link TestTokens}).
	 */
	@Autowired
	protected WebTestClient client;

	@Autowired
	private ResourceServerProperties security;

	/**
	 * @return an {@code Authorization} value the service accepts for reads and writes,
	 * for a test's own HTTP client
	 */
	protected String bearerToken() {
		return "Bearer " + TestTokens.issue(security.issuer(), security.audience(), "test-client",
				Duration.ofMinutes(30),
				Stream.of(security.readScope(), security.writeScope()).filter(scope -> !scope.isBlank()).toList());
	}

}
