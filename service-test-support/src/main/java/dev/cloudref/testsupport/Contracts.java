package dev.cloudref.testsupport;

import java.nio.file.Path;

import io.restassured.RestAssured;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Set-up of the contract tests between the services ({@code contracts/}, see
 * docs/contracts.md): Stub Runner on the consumer side, the generated REST Assured
 * tests on the provider side.
 */
public final class Contracts {

	private Contracts() {
	}

	/**
	 * Makes Stub Runner play {@code service} ({@code dev.cloudref:<service>}) from the
	 * contracts' folder ({@code ../contracts/<service>/}), not a stubs jar: the provider's
	 * build cannot come first, because it depends on this service's contracts the same
	 * way.
	 * @param registry the consumer test's dynamic properties
	 * @param service the provider's name, e.g. {@code user-service}
	 */
	public static void stubsFromContractsFolder(DynamicPropertyRegistry registry, String service) {
		Path contracts = Path.of("..", "contracts", service).toAbsolutePath().normalize();
		registry.add("spring.cloud.contract.stubrunner.ids", () -> "dev.cloudref:" + service);
		registry.add("spring.cloud.contract.stubrunner.repository-root", () -> "stubs://file://" + contracts);
	}

	/**
	 * Points the generated provider tests' requests at the application under test.
	 * @param port the application's {@code @LocalServerPort}
	 */
	public static void sendGeneratedRequestsTo(int port) {
		RestAssured.baseURI = "http://localhost";
		RestAssured.port = port;
	}

}
