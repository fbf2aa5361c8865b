package dev.cloudref.systemtest;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cloudref.launcher.AppProcess;

import static dev.cloudref.systemtest.Fixtures.createUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth 2 beside API keys, through the real gateway and the real authorization server: a
 * token got with the client_credentials grant at {@code /oauth2/token} (routed by the
 * gateway to auth-server) opens the API within its scopes; forged tokens do not, at the
 * gateway nor at a service's own port, which refuses every request without a valid token;
 * keys rotate (every 20 s in the system tests) without a failed request.
 */
class OAuth2IT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static LocalSystem system;

	private static GatewayClient gateway;

	@BeforeAll
	static void system() {
		system = LocalSystem.get();
		gateway = system.gatewayClient();
	}

	@Test
	void aTokenFromTheAuthorizationServerOpensTheApiWithinItsScopes() {
		String readOnly = token("users:read orders:read");
		String userId = createUser(gateway).path("id").asString();

		ApiResponse read = gateway.anonymous("GET", "/api/users/" + userId, "Authorization", "Bearer " + readOnly);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		ApiResponse orders = gateway.anonymous("GET", "/api/users/" + userId + "/orders", "Authorization",
				"Bearer " + readOnly);
		assertThat(orders.status()).as("%s (user-service calls order-service on)", orders).isEqualTo(200);

		ApiResponse refused = gateway.anonymousWithBody("POST", "/api/users", "application/json",
				"{\"name\":\"Token\",\"email\":\"token-" + System.nanoTime() + "@example.com\"}", "Authorization",
				"Bearer " + readOnly);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.header("WWW-Authenticate")).contains("insufficient_scope").contains("users:write");

		ApiResponse created = gateway.anonymousWithBody("POST", "/api/users", "application/json",
				"{\"name\":\"Token\",\"email\":\"token-" + System.nanoTime() + "@example.com\"}", "Authorization",
				"Bearer " + token("users:write"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
	}

	@Test
	void theTokenEndpointRefusesAWrongSecret() {
		ApiResponse response = gateway.anonymousWithBody("POST", "/oauth2/token", "application/x-www-form-urlencoded",
				"grant_type=client_credentials&scope=users:read", "Authorization", basic("demo", "wrong-secret"));
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
	}

	@Test
	void tamperedUnsignedAndSelfSignedTokensAreRefused() throws Exception {
		String real = token("users:read");
		String[] parts = real.split("\\.");
		JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		// More scopes than granted, under the real signature.
		String tampered = parts[0] + "." + encode(claims.replace("\"users:read\"", "\"users:read\",\"users:write\""))
				+ "." + parts[2];
		String unsigned = encode("{\"alg\":\"none\"}") + "." + parts[1] + ".";
		// Signed with a key of our own, under the id of the real key.
		KeyPair own = KeyPairGenerator.getInstance("RSA").generateKeyPair();
		String ownHeader = encode("{\"alg\":\"RS256\",\"kid\":\"" + header.path("kid").asString() + "\"}");
		String selfSigned = ownHeader + "." + parts[1] + "." + sign(own, ownHeader + "." + parts[1]);
		String userId = createUser(gateway).path("id").asString();

		for (String forged : List.of(tampered, unsigned, selfSigned)) {
			ApiResponse response = gateway.anonymous("GET", "/api/users/" + userId, "Authorization",
					"Bearer " + forged);
			assertThat(response.status()).as(response.toString()).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
		}
	}

	@Test
	void aServicesOwnPortRefusesRequestsWithoutAValidToken() {
		String userId = createUser(gateway).path("id").asString();
		String real = token("users:read orders:read");
		String[] parts = real.split("\\.");
		String unsigned = encode("{\"alg\":\"none\"}") + "." + parts[1] + ".";
		for (AppProcess service : List.of(system.userServices.get(0), system.orderServices.get(0))) {
			String path = service.name().startsWith("user-service") ? "/users/" + userId : "/orders?userId=" + userId;
			// What a process on the host (or a container on the network) could send.
			HttpResponse<String> anonymous = system.directGet(service, path, Map.of());
			assertThat(anonymous.statusCode()).as("%s %s without a token: %s", service.name(), path, anonymous.body())
				.isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cloudref\"");
			assertThat(anonymous.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
			// A forged token, or a Caller-Id header, changes nothing.
			HttpResponse<String> forged = system.directGet(service, path,
					Map.of("Authorization", "Bearer " + unsigned, "Caller-Id", "api-key:demo"));
			assertThat(forged.statusCode()).as("%s with alg=none", service.name()).isEqualTo(401);
			assertThat(forged.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
			// A real token of auth-server with the service's read scope opens it.
			HttpResponse<String> allowed = system.directGet(service, path, Map.of("Authorization", "Bearer " + real));
			assertThat(allowed.statusCode()).as("%s with a real token: %s", service.name(), allowed.body())
				.isEqualTo(200);
		}
	}

	@Test
	void aPersonLogsInThroughTheGatewayForAnAuthorizationCodeWithPkce() throws Exception {
		// What Swagger UI's Authorize (scheme oauth2) does in a browser: a public client,
		// no secret, PKCE (RFC 7636); every request through the gateway.
		String base = "https://localhost:" + system.gateway.appPort();
		HttpClient browser = HttpClient.newBuilder()
			.sslContext(GatewayClient.trusting(system.certificate))
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String verifier = BASE64URL.encodeToString(random);
		String challenge = BASE64URL
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		String redirectUri = base + "/swagger-ui/oauth2-redirect.html";
		String authorize = base + "/oauth2/authorize?response_type=code&client_id=swagger-ui&scope=users:read"
				+ "&state=s1&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri="
				+ URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);

		// No session: to the login form, at the gateway's address.
		HttpResponse<String> toLogin = send(browser, get(authorize).header("Accept", "text/html"));
		assertThat(toLogin.statusCode()).as(toLogin.body()).isEqualTo(302);
		assertThat(toLogin.headers().firstValue("Location")).hasValue(base + "/login");
		HttpResponse<String> form = send(browser, get(base + "/login"));
		assertThat(form.statusCode()).isEqualTo(200);
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
		assertThat(csrf.find()).as(form.body()).isTrue();

		HttpResponse<String> wrong = send(browser, postForm(base + "/login",
				"username=demo&password=wrong&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)));
		assertThat(wrong.headers().firstValue("Location")).hasValue(base + "/login?error");
		HttpResponse<String> loggedIn = send(browser, postForm(base + "/login", "username=demo&password="
				+ system.userPassword + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)));
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		String back = loggedIn.headers().firstValue("Location").orElseThrow();
		assertThat(back).startsWith(base + "/oauth2/authorize?");

		// Logged in: a code for Swagger UI's redirect page, with the state it sent.
		HttpResponse<String> toClient = send(browser, get(back).header("Accept", "text/html"));
		assertThat(toClient.statusCode()).as(toClient.body()).isEqualTo(302);
		String location = toClient.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith(redirectUri + "?code=").contains("state=s1");
		String code = URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

		String exchange = "grant_type=authorization_code&client_id=swagger-ui&redirect_uri="
				+ URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&code="
				+ URLEncoder.encode(code, StandardCharsets.UTF_8);
		// Without the verifier the code is worth nothing (and is spent: ask again below).
		HttpResponse<String> noVerifier = send(browser, postForm(base + "/oauth2/token", exchange));
		assertThat(noVerifier.statusCode()).as(noVerifier.body()).isEqualTo(400);

		HttpResponse<String> again = send(browser, get(authorize).header("Accept", "text/html"));
		String secondCode = URLDecoder.decode(
				again.headers().firstValue("Location").orElseThrow().replaceAll(".*[?&]code=([^&]+).*", "$1"),
				StandardCharsets.UTF_8);
		HttpResponse<String> token = send(browser,
				postForm(base + "/oauth2/token", "grant_type=authorization_code&client_id=swagger-ui&redirect_uri="
						+ URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&code="
						+ URLEncoder.encode(secondCode, StandardCharsets.UTF_8) + "&code_verifier=" + verifier));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		String accessToken = JSON.readTree(token.body()).path("access_token").asString();
		JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
		assertThat(claims.path("sub").asString()).isEqualTo("demo");

		String userId = createUser(gateway).path("id").asString();
		ApiResponse read = gateway.anonymous("GET", "/api/users/" + userId, "Authorization", "Bearer " + accessToken);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
	}

	private static HttpRequest.Builder get(String url) {
		return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
	}

	private static HttpRequest.Builder postForm(String url, String form) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void keysRotateUnderTrafficWithoutAFailedRequest() {
		// The system tests' auth-server makes a new signing key every 20 s (tokens live
		// 15 s): over 45 s at least two rotations happen while requests go on, each with
		// a token fetched within the last 2 s or up to 15 s old.
		String userId = createUser(gateway).path("id").asString();
		Set<String> keyIds = new HashSet<>();
		int requests = 0;
		int failed = 0;
		long end = System.nanoTime() + Duration.ofSeconds(45).toNanos();
		String token = null;
		long fetched = 0;
		while (System.nanoTime() < end) {
			if (token == null || System.nanoTime() - fetched > Duration.ofSeconds(2).toNanos()) {
				token = token("users:read");
				fetched = System.nanoTime();
				keyIds.add(JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asString());
			}
			ApiResponse response = gateway.anonymous("GET", "/api/users/" + userId, "Authorization", "Bearer " + token);
			requests++;
			if (response.status() != 200) {
				failed++;
				System.out.println("Failed during key rotation: " + response);
			}
			// About 40 requests a second: within the client's default rate limit.
			pause(Duration.ofMillis(25));
		}
		System.out.printf("Key rotation under traffic: %d requests, %d failed, signing keys seen: %s%n", requests,
				failed, keyIds);
		assertThat(keyIds).as("signing keys of the tokens (a rotation happened)").hasSizeGreaterThanOrEqualTo(2);
		assertThat(failed).as("failed requests out of %d", requests).isZero();
	}

	/**
	 * @return an access token with the scopes, from the real auth server via the gateway
	 */
	private static String token(String scopes) {
		ApiResponse response = gateway.anonymousWithBody("POST", "/oauth2/token", "application/x-www-form-urlencoded",
				"grant_type=client_credentials&scope=" + scopes.replace(" ", "%20"), "Authorization",
				basic("demo", system.clientSecret));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().path("access_token").asString();
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static String encode(String json) {
		return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static String sign(KeyPair key, String signingInput) throws GeneralSecurityException {
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(key.getPrivate());
		signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
		return BASE64URL.encodeToString(signature.sign());
	}

}
