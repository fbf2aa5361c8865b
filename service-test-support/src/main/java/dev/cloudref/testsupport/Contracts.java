package dev.cloudref.testsupport;

import io.restassured.RestAssured;

/**
 * Set-up of the contract tests between the services ({@code contracts/}, see
 * docs/contracts.md): the generated REST Assured tests on the provider side (the consumer
 * side is {@link StubsFromContracts}).
 */
public final class Contracts {

	private Contracts() {
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
