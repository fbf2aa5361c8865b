package dev.cloudref.auth;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cloudref.auth.keys.SigningKeys;
import dev.cloudref.launcher.ClientSecretHash;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The real authorization server on a random port: a client_credentials token request with
 * the configured client, the token's claims and signature against the published JWK Set,
 * and refusals.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "eureka.client.enabled=false",
		"management.server.port=0", "AUTH_ISSUER=https://gateway.example:8443" })
class AuthServerApplicationTests {

	static final String SECRET = "test-client-secret";

	@TempDir
	static Path keys;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		// Stored hashed, as the launcher passes it.
		registry.add("AUTH_DEMO_CLIENT_SECRET_HASH", () -> ClientSecretHash.of(SECRET));
		registry.add("AUTH_KEYS_DIR", keys::toString);
	}

	@LocalServerPort
	int port;

	@Autowired
	SigningKeys signingKeys;

	@Autowired
	OAuth2AuthorizationServerProperties serverProperties;

	RestClient http;

	@BeforeEach
	void client() {
		http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void issuesASignedTokenForTheApiWithTheRequestedScopes() throws Exception {
		ResponseEntity<Map<String, Object>> response = token("demo", SECRET, "users:read orders:read");
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getBody()).containsEntry("token_type", "Bearer").containsKey("expires_in");

		SignedJWT jwt = SignedJWT.parse((String) response.getBody().get("access_token"));
		assertThat(jwt.getHeader().getKeyID()).isEqualTo(signingKeys.current().getKeyID());
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://gateway.example:8443");
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("cloudref-api");
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("demo");
		assertThat(jwt.getJWTClaimsSet().getStringListClaim("scope")).containsExactlyInAnyOrder("users:read",
				"orders:read");
		JWKSet published = JWKSet.parse(http.get().uri("/oauth2/jwks").retrieve().body(String.class));
		assertThat(published.getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
		assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
				published.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey())))
			.isTrue();
	}

	@Test
	void springSecurityAcceptsTheLaunchersHashesAndOnlyForTheirSecret() {
		String hash = ClientSecretHash.of(SECRET);
		assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(SECRET, hash)).isTrue();
		assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("other", hash)).isFalse();
		assertThat(ClientSecretHash.of(SECRET)).as("a new salt each time").isNotEqualTo(hash);
		// docs/docker.md: htpasswd's bcrypt ($2y$) with the {bcrypt} prefix works too.
		String bcrypt = "{bcrypt}" + new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2Y).encode(SECRET);
		assertThat(bcrypt).startsWith("{bcrypt}$2y$");
		assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(SECRET, bcrypt)).isTrue();
	}

	@Test
	void sendsABrowserWithoutASessionToTheLoginFormAtThePublicAddress() {
		RestClient browser = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.requestFactory(new JdkClientHttpRequestFactory(
					HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()))
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		ResponseEntity<String> response = browser.get()
			.uri("/oauth2/authorize?response_type=code&client_id=swagger-ui&scope=users:read"
					+ "&redirect_uri=https://gateway.example:8443/swagger-ui/oauth2-redirect.html"
					+ "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")
			.header("Accept", "text/html")
			.retrieve()
			.toEntity(String.class);
		assertThat(response.getStatusCode().value()).isEqualTo(302);
		// The gateway's address (the issuer), not this server's own port.
		assertThat(response.getHeaders().getLocation()).hasToString("https://gateway.example:8443/login");
		// A machine client without credentials gets 401, not a login page.
		assertThat(browser.get().uri("/oauth2/authorize").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(401);
	}

	@Test
	void refusesAWrongSecretAnUnknownClientAndAnUnknownScope() {
		assertThat(token("demo", "wrong", "users:read").getStatusCode().value()).isEqualTo(401);
		assertThat(token("nobody", SECRET, "users:read").getStatusCode().value()).isEqualTo(401);
		ResponseEntity<Map<String, Object>> unknownScope = token("demo", SECRET, "admin");
		assertThat(unknownScope.getStatusCode().value()).isEqualTo(400);
		assertThat(unknownScope.getBody()).containsEntry("error", "invalid_scope");
	}

	@Test
	void refusesToStartWhenTokensWouldOutliveTheirSigningKey() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new ClientSettingsCheck(serverProperties,
					new AuthProperties("cloudref-api",
							new AuthProperties.Keys(keys, Duration.ofMinutes(4), Duration.ofMinutes(1)),
							new AuthProperties.DemoUser("demo", "")))
				.afterPropertiesSet())
			.withMessageContaining("longer than the signing keys' rotation period");
	}

	@Test
	void publishesItsMetadataWithTheIssuerAndKeySet() {
		Map<String, Object> metadata = http.get()
			.uri("/.well-known/oauth-authorization-server")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(metadata).containsEntry("issuer", "https://gateway.example:8443")
			.containsEntry("jwks_uri", "https://gateway.example:8443/oauth2/jwks");
	}

	@Test
	void theActuatorIsNotOnThePublicPortAndNothingElseIsOpen() {
		assertThat(http.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value()).isIn(401,
				403, 404);
		assertThat(http.get().uri("/").retrieve().toBodilessEntity().getStatusCode().value()).isIn(401, 403);
	}

	private ResponseEntity<Map<String, Object>> token(String client, String secret, String scope) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("scope", scope);
		return http.post()
			.uri("/oauth2/token")
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes()))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(form)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<>() {
			});
	}

}
