package dev.cloudref.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs access tokens for tests in place of auth-server: RS256 with an RSA key made once
 * per JVM, whose public half the services' test decoder trusts
 * ({@link TestSecurityAutoConfiguration}). The claims are those auth-server issues:
 * {@code iss}, {@code sub}, {@code aud}, {@code scope} (space-separated), {@code iat},
 * {@code exp}.
 */
public final class TestTokens {

	private static final RSAKey KEY = generate();

	private static final NimbusJwtEncoder ENCODER = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(KEY)));

	private TestTokens() {
	}

	/**
	 * @param issuer the {@code iss}
	 * @param audience the {@code aud}
	 * @param subject the {@code sub}: the client id
	 * @param lifetime time from now to {@code exp}; negative for an expired token
	 * @param scopes the granted scopes, possibly none
	 * @return the compact JWS, for {@code Authorization: Bearer}
	 */
	public static String issue(String issuer, String audience, String subject, Duration lifetime, List<String> scopes) {
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(issuer)
			.subject(subject)
			.audience(List.of(audience))
			.issuedAt(now.plus(lifetime).isBefore(now) ? now.plus(lifetime).minusSeconds(60) : now)
			.expiresAt(now.plus(lifetime))
			.claim("scope", String.join(" ", scopes))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(KEY.getKeyID()).build();
		return ENCODER.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	/**
	 * @return the public key every test token is signed for
	 */
	public static RSAPublicKey publicKey() {
		try {
			return KEY.toRSAPublicKey();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID("test-key")
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
