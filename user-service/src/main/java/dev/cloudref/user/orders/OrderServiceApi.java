package dev.cloudref.user.orders;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.OutboundTokens;

import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The part of order-service's HTTP API that user-service uses. Implemented by a proxy of
 * an HTTP service group over the load-balanced WebClient (see {@link OrderClient}). Every
 * call carries user-service's own access token ({@link OutboundTokens}).
 */
@ClientRegistrationId(OutboundTokens.REGISTRATION_ID)
interface OrderServiceApi {

	/**
	 * @param userId the user
	 * @param page zero-based page number
	 * @param size orders per page, at most 100 (order-service answers 400 above)
	 * @return one page of the user's orders, oldest first
	 */
	@GetExchange("/orders")
	Mono<OrderPageView> findByUser(@RequestParam("userId") UUID userId, @RequestParam("page") int page,
			@RequestParam("size") int size);

}
