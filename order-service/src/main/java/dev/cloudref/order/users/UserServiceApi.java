package dev.cloudref.order.users;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.OutboundTokens;

import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The part of user-service's HTTP API that order-service uses. Implemented by a proxy of
 * an HTTP service group over the load-balanced WebClient (see {@link UserClient}). Every
 * call carries order-service's own access token ({@link OutboundTokens}).
 */
@ClientRegistrationId(OutboundTokens.REGISTRATION_ID)
interface UserServiceApi {

	@GetExchange("/users/{id}")
	Mono<UserSummary> get(@PathVariable UUID id);

}
