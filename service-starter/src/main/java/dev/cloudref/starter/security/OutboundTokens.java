package dev.cloudref.starter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;

/**
 * The app's own access token for its outbound calls (the OAuth2 client registration
 * {@value #REGISTRATION_ID}, {@code client_credentials} grant): one token per app,
 * whoever the request being served came from. Spring Security's manager obtains it; this
 * keeps it until {@code renewBefore} ahead of its expiry and lets concurrent callers
 * share one renewal (the manager alone would send one token request per caller that finds
 * the token expiring, and the authorization server checks each client secret with a
 * deliberately slow hash). Requests for another registration pass through unchanged.
 */
public final class OutboundTokens implements ReactiveOAuth2AuthorizedClientManager {

	/**
	 * The client registration
	 * ({@code spring.security.oauth2.client.registration.outbound.*}) and the value of
	 * {@code @ClientRegistrationId} on HTTP service interfaces whose calls carry the
	 * token.
	 */
	public static final String REGISTRATION_ID = "outbound";

	private final ReactiveOAuth2AuthorizedClientManager delegate;

	private final String principal;

	private final Duration renewBefore;

	private final Clock clock;

	private final Duration timeout;

	private final AtomicReference<OAuth2AuthorizedClient> current = new AtomicReference<>();

	private final AtomicReference<Mono<OAuth2AuthorizedClient>> renewal = new AtomicReference<>();

	/**
	 * @param delegate Spring Security's manager that obtains the token
	 * @param principal the name the token is obtained for: the app's name
	 * @param renewBefore how long before its expiry a token is renewed
	 * @param clock the clock expiry is judged by
	 * @param timeout how long a token request may take before it fails (and the next
	 * caller asks again)
	 */
	public OutboundTokens(ReactiveOAuth2AuthorizedClientManager delegate, String principal, Duration renewBefore,
			Clock clock, Duration timeout) {
		this.delegate = delegate;
		this.principal = principal;
		this.renewBefore = renewBefore;
		this.clock = clock;
		this.timeout = timeout;
	}

	/**
	 * @return the app's access token (the {@code Authorization: Bearer} value); fails
	 * with
	 * {@link org.springframework.security.oauth2.client.ClientAuthorizationException}
	 * when the authorization server refuses the client, and with the HTTP client's error
	 * when it cannot be reached
	 */
	public Mono<String> token() {
		return own().map(client -> client.getAccessToken().getTokenValue());
	}

	@Override
	public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizeRequest request) {
		return REGISTRATION_ID.equals(request.getClientRegistrationId()) ? own() : delegate.authorize(request);
	}

	private Mono<OAuth2AuthorizedClient> own() {
		return Mono.defer(() -> {
			OAuth2AuthorizedClient client = current.get();
			return (client != null && fresh(client)) ? Mono.just(client) : renewal();
		});
	}

	private boolean fresh(OAuth2AuthorizedClient client) {
		Instant expiresAt = client.getAccessToken().getExpiresAt();
		return expiresAt == null || expiresAt.minus(renewBefore).isAfter(clock.instant());
	}

	/** One token request at a time; whoever asks meanwhile gets its answer. */
	private Mono<OAuth2AuthorizedClient> renewal() {
		while (true) {
			Mono<OAuth2AuthorizedClient> running = renewal.get();
			if (running != null) {
				return running;
			}
			AtomicReference<Mono<OAuth2AuthorizedClient>> self = new AtomicReference<>();
			Mono<OAuth2AuthorizedClient> created = Mono
				.defer(() -> delegate.authorize(
						OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION_ID).principal(principal).build()))
				.timeout(timeout)
				.doOnNext(current::set)
				.doFinally(signal -> renewal.compareAndSet(self.get(), null))
				.cache();
			self.set(created);
			if (renewal.compareAndSet(null, created)) {
				return created;
			}
		}
	}

}
