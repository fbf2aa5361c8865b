package dev.cloudref.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

import org.springframework.http.HttpHeaders;

/**
 * Set-up of the contract tests between the services ({@code contracts/}, see
 * docs/contracts.md): the generated REST Assured tests on the provider side (the consumer
 * side is {@link StubsFromContracts}).
 */
public final class Contracts {

	private Contracts() {
	}

	/**
	 * Points the generated provider tests' requests at the application under test, with a
	 * bearer token it accepts.
	 * @param port the application's {@code @LocalServerPort}
	 * @param token an access token ({@link TestTokens}) with the scopes the contracts'
	 * requests need
	 */
	public static void sendGeneratedRequestsTo(int port, String token) {
		RestAssured.baseURI = "http://localhost";
		RestAssured.port = port;
		RestAssured.requestSpecification = new RequestSpecBuilder()
			.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.build();
	}

}
