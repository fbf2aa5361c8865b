package dev.cloudref.gateway.security;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.gateway.GatewayTestClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens at the gateway over HTTPS: an issuer's JWK Set served by a
 * {@link MockWebServer}, tokens signed here with Nimbus as an authorization server signs
 * them, user-service played by another mock.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"gateway.oauth2.issuer=" + BearerTokenAuthenticationTest.ISSUER,
				"cloudref.loadbalancer.health-check.enabled=false" })
@DirtiesContext
class BearerTokenAuthenticationTest {

	static final String ISSUER = "https://issuer.example";

	@TempDir
	static Path tlsDir;

	static final MockWebServer userService = new MockWebServer();

	static final MockWebServer issuer = new MockWebServer();

	static RSAKey key;

	static volatile JWKSet published;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		key = newKey();
		published = new JWKSet(key);
		userService.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body("{\"id\":\"123\"}")
					.build();
			}
		});
		issuer.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body(published.toString())
					.build();
			}
		});
		userService.start();
		issuer.start();
		registry.add("gateway.tls.dir", tlsDir::toString);
		registry.add("gateway.oauth2.jwk-set-uri", () -> "http://127.0.0.1:" + issuer.getPort() + "/oauth2/jwks");
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri",
				() -> "http://localhost:" + userService.getPort());
	}

	@AfterAll
	static void stop() {
		userService.close();
		issuer.close();
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() throws Exception {
		client = GatewayTestClient.https(tlsDir, port);
		while (userService.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// drop requests recorded by earlier tests
		}
	}

	@Test
	void aValidTokenWithTheScopeIsRoutedAndRelayedWithTheClientAsCaller() throws Exception {
		String token = sign(key, claims("users:read").build());

		client.get()
			.uri("/api/users/123")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isOk();

		RecordedRequest routed = userService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(routed).isNotNull();
		assertThat(routed.getHeaders().get("Authorization")).isEqualTo("Bearer " + token);
		assertThat(routed.getHeaders().get("Caller-Id")).isEqualTo("client:demo");
	}

	@Test
	void aTokenWithoutTheScopeOfItsRequestGetsForbiddenWithTheScopeNamed() {
		String token = sign(key, claims("users:read").build());
		int before = userService.getRequestCount();

		String body = client.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"A\",\"email\":\"a@example.com\"}")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"cloudref\", error=\"insufficient_scope\", scope=\"users:write\"")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("users:write");
		assertThat(userService.getRequestCount()).isEqualTo(before);
	}

	@Test
	void expiredTamperedUnsignedForeignAndOtherAudienceTokensAreInvalid() throws Exception {
		Instant past = Instant.now().minus(Duration.ofHours(1));
		String expired = sign(key,
				claims("users:read").issueTime(Date.from(past))
					.expirationTime(Date.from(past.plusSeconds(300)))
					.build());
		String valid = sign(key, claims("users:read").build());
		String[] parts = valid.split("\\.");
		String tampered = parts[0] + "." + sign(key, claims("users:read users:write").build()).split("\\.")[1] + "."
				+ parts[2];
		String unsigned = new PlainJWT(claims("users:read").build()).serialize();
		// Signed by a key the issuer never published, under the published key's id.
		RSAKey impostor = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
		String otherKey = sign(impostor, claims("users:read").build());
		String otherIssuer = sign(key, claims("users:read").issuer("https://elsewhere.example").build());
		String otherAudience = sign(key, claims("users:read").audience("another-api").build());
		int before = userService.getRequestCount();

		for (String token : List.of(expired, tampered, unsigned, otherKey, otherIssuer, otherAudience, "not-a-jwt")) {
			client.get()
				.uri("/api/users/123")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						value -> assertThat(value).startsWith("Bearer realm=\"cloudref\", error=\"invalid_token\""));
		}
		assertThat(userService.getRequestCount()).isEqualTo(before);
	}

	@Test
	void aTokenSignedByANewlyPublishedKeyIsAcceptedAfterTheKeySetIsFetchedAgain() throws Exception {
		// The gateway caches the key set; a token with an unknown key id makes it fetch
		// the set again.
		getUser(sign(key, claims("users:read").build())).expectStatus().isOk();
		RSAKey rotated = newKey();
		published = new JWKSet(List.of(rotated, key));

		getUser(sign(rotated, claims("users:read").build())).expectStatus().isOk();
		getUser(sign(key, claims("users:read").build())).expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec getUser(String token) {
		return client.get().uri("/api/users/123").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
	}

	@Test
	void anApiKeyRequestWithoutKeyOrTokenNamesBothSchemes() {
		client.get()
			.uri("/api/users/123")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-API-Key\"", "Bearer realm=\"cloudref\"");
	}

	private static JWTClaimsSet.Builder claims(String scope) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("demo")
			.audience("cloudref-api")
			.claim("scope", List.of(scope.split(" ")))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString());
	}

	private static String sign(RSAKey signingKey, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
				.type(JOSEObjectType.JWT)
				.build(), claims);
			jwt.sign(new RSASSASigner(signingKey));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey newKey() throws Exception {
		return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
	}

}
