package dev.cloudref.starter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app's own token: one token request however many callers find it missing or
 * expiring, kept until shortly before it expires, and a request that gets no answer fails
 * after the timeout and is asked again by the next caller.
 */
class OutboundTokensTest {

	private static final ClientRegistration REGISTRATION = ClientRegistration
		.withRegistrationId(OutboundTokens.REGISTRATION_ID)
		.clientId("user-service")
		.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
		.tokenUri("http://auth-server/oauth2/token")
		.build();

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-08T00:00:00Z"));

	private final Clock clock = new Clock() {
		@Override
		public Instant instant() {
			return now.get();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	};

	private final AtomicInteger requests = new AtomicInteger();

	/** A token endpoint that answers after 200 ms with token-N, valid 60 s. */
	private Mono<OAuth2AuthorizedClient> answer(OAuth2AuthorizeRequest request) {
		return Mono.fromSupplier(() -> {
			int n = requests.incrementAndGet();
			return new OAuth2AuthorizedClient(REGISTRATION, request.getPrincipal().getName(), new OAuth2AccessToken(
					OAuth2AccessToken.TokenType.BEARER, "token-" + n, now.get(), now.get().plusSeconds(60)));
		}).delayElement(Duration.ofMillis(200));
	}

	@Test
	void concurrentCallersShareOneTokenRequestAndTheTokenIsKeptUntilShortlyBeforeItExpires() {
		OutboundTokens tokens = new OutboundTokens(this::answer, "user-service", Duration.ofSeconds(5), clock,
				Duration.ofSeconds(5));

		List<String> first = Flux.range(0, 20).flatMap(i -> tokens.token()).collectList().block(Duration.ofSeconds(5));
		assertThat(first).hasSize(20).containsOnly("token-1");
		assertThat(requests).hasValue(1);

		now.set(now.get().plusSeconds(54));
		assertThat(tokens.token().block(Duration.ofSeconds(5))).as("6 s before it expires: kept").isEqualTo("token-1");
		now.set(now.get().plusSeconds(2));
		List<String> renewed = Flux.range(0, 20)
			.flatMap(i -> tokens.token())
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(renewed).containsOnly("token-2");
		assertThat(requests).hasValue(2);
	}

	@Test
	void aTokenRequestWithoutAnAnswerFailsAfterTheTimeoutAndTheNextCallerAsksAgain() {
		AtomicInteger calls = new AtomicInteger();
		OutboundTokens tokens = new OutboundTokens(
				request -> (calls.incrementAndGet() == 1) ? Mono.never() : answer(request), "user-service",
				Duration.ofSeconds(5), clock, Duration.ofMillis(300));

		assertThatThrownBy(() -> tokens.token().block(Duration.ofSeconds(5)))
			.hasCauseInstanceOf(TimeoutException.class);
		assertThat(tokens.token().block(Duration.ofSeconds(5))).isEqualTo("token-1");
		assertThat(calls).hasValue(2);
	}

	@Test
	void requestsForAnotherRegistrationGoToSpringSecuritysManagerUnchanged() {
		AtomicReference<OAuth2AuthorizeRequest> seen = new AtomicReference<>();
		OutboundTokens tokens = new OutboundTokens(request -> {
			seen.set(request);
			return Mono.empty();
		}, "user-service", Duration.ofSeconds(5), clock, Duration.ofSeconds(5));

		tokens.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("other").principal("someone").build())
			.block(Duration.ofSeconds(5));
		assertThat(seen.get().getClientRegistrationId()).isEqualTo("other");
		assertThat(seen.get().getPrincipal().getName()).isEqualTo("someone");
	}

}
