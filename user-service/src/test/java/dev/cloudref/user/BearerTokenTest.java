package dev.cloudref.user;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cloudref.starter.security.ResourceServerProperties;
import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.TestEnvironment;
import dev.cloudref.testsupport.TestTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * user-service as an OAuth2 resource server (service-starter's
 * {@code ResourceServerAutoConfiguration}): a request that reaches its port without a
 * valid token, or without the scope, is refused with a problem detail and an RFC 6750
 * challenge, whoever sends it; only the health probes and the management port are open.
 */
class BearerTokenTest extends AbstractServiceTest {

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.withoutDependencies();

	@Autowired
	ResourceServerProperties security;

	@Value("${local.management.port}")
	int managementPort;

	@Value("${local.server.port}")
	int serverPort;

	@Test
	void refusesARequestWithoutAToken() {
		anonymous().get()
			.uri("/users?page=0&size=1")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cloudref\"")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.detail")
			.isEqualTo("A bearer token is required in the Authorization header.");
		// Writes too, and the OpenAPI document: nothing of the API is open.
		anonymous().post()
			.uri("/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Nobody", "email", "nobody@example.com"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void refusesBadTokensAsInvalidToken() throws Exception {
		String issuer = security.issuer();
		String audience = security.audience();
		List<String> scopes = List.of("users:read");
		Map<String, String> forged = Map.of( //
				"expired", TestTokens.issue(issuer, audience, "demo", Duration.ofMinutes(-5), scopes), //
				"other issuer",
				TestTokens.issue("https://elsewhere.example", audience, "demo", Duration.ofMinutes(5), scopes), //
				"other audience", TestTokens.issue(issuer, "other-api", "demo", Duration.ofMinutes(5), scopes), //
				"tampered", tampered(TestTokens.issue(issuer, audience, "demo", Duration.ofMinutes(5), scopes)), //
				"alg none", unsigned(issuer, audience), //
				"another key under the real kid", signedByAnotherKey(issuer, audience), //
				"garbage", "not-a-jwt");
		forged.forEach((what, token) -> anonymous().get()
			.uri("/users?page=0&size=1")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.value(status -> assertThat(status).as(what).isEqualTo(401))
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE,
					challenge -> assertThat(challenge).as(what)
						.startsWith("Bearer realm=\"cloudref\", error=\"invalid_token\""))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void refusesATokenWithoutTheScopeAsInsufficientScope() {
		String readOnly = TestTokens.issue(security.issuer(), security.audience(), "demo", Duration.ofMinutes(5),
				List.of("users:read", "orders:write"));
		anonymous().get()
			.uri("/users?page=0&size=1")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
			.exchange()
			.expectStatus()
			.isOk();
		anonymous().post()
			.uri("/users")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Reader", "email", "reader-" + UUID.randomUUID() + "@example.com"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"cloudref\", error=\"insufficient_scope\", scope=\"users:write\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("The bearer token lacks the scope users:write this request needs.");
	}

	@Test
	void leavesTheHealthProbesAndTheManagementPortOpen() {
		for (String probe : new String[] { "/readyz", "/livez" }) {
			anonymous().get().uri(probe).exchange().expectStatus().isOk();
		}
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + managementPort)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void answersARefusedRequestTargetWithAProblem() {
		// Spring Security's firewall refuses it before any check; the answer is still a
		// problem detail.
		client.get()
			.uri(URI.create("http://localhost:" + serverPort + "/users/%2e%2e"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400);
	}

	/** The test's client without the token it sends by default. */
	private WebTestClient anonymous() {
		return client.mutate().defaultHeaders(headers -> headers.remove(HttpHeaders.AUTHORIZATION)).build();
	}

	/**
	 * The same token with its claims changed (scope widened): the signature no longer
	 * fits.
	 */
	private static String tampered(String token) {
		String[] parts = token.split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("users:read", "users:write");
		return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "."
				+ parts[2];
	}

	/** RFC 7519 §6 unsecured JWT: {@code alg=none}, no signature. */
	private static String unsigned(String issuer, String audience) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
		long now = Instant.now().getEpochSecond();
		String claims = base64.encodeToString(("{\"iss\":\"" + issuer + "\",\"aud\":[\"" + audience
				+ "\"],\"sub\":\"demo\",\"scope\":\"users:read\",\"iat\":" + now + ",\"exp\":" + (now + 300) + "}")
			.getBytes());
		return header + "." + claims + ".";
	}

	/** Well-formed and signed, but by a key the issuer never published, under its kid. */
	private static String signedByAnotherKey(String issuer, String audience) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		var pair = generator.generateKeyPair();
		RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
			.keyID("test-key")
			.build();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(issuer)
			.audience(List.of(audience))
			.subject("demo")
			.claim("scope", "users:read")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(300))
			.build();
		return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)))
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).keyId("test-key").build(),
					claims))
			.getTokenValue();
	}

}
