package dev.cloudref.order.users;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.client.DependencyUnavailableException;

import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Asks user-service whether a user exists, through the load-balanced HTTP service group
 * {@code user-service} ({@link UserServiceApi}), guarded by the Resilience4j circuit
 * breaker and time limiter {@code resilience4j.*.instances.user-service}.
 */
@Component
@ImportHttpServices(group = "user-service", types = UserServiceApi.class,
		clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
public class UserClient {

	private final UserServiceApi api;

	private final ReactiveCircuitBreaker circuitBreaker;

	UserClient(UserServiceApi api, ReactiveCircuitBreakerFactory<?, ?> circuitBreakers) {
		this.api = api;
		this.circuitBreaker = circuitBreakers.create("user-service");
	}

	/**
	 * @param userId the user's id
	 * @return true if user-service knows the user, false if it answered 404; errors with
	 * {@link DependencyUnavailableException} (503, "User service unavailable") when
	 * user-service cannot answer
	 */
	public Mono<Boolean> exists(UUID userId) {
		// A 404 is an answer, not a failure: it must not count against the breaker.
		Mono<Boolean> lookup = api.get(userId)
			.map(user -> true)
			.onErrorResume(WebClientResponseException.NotFound.class, notFound -> Mono.just(false));
		return circuitBreaker.run(lookup,
				failure -> Mono.error(new DependencyUnavailableException("User service unavailable",
						"user-service is unavailable, so the order's user cannot be checked; nothing was stored.",
						failure)));
	}

}
