package dev.cloudref.user.orders;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The part of order-service's HTTP API that user-service uses. Implemented by a proxy
 * of an HTTP service group over the load-balanced WebClient (see {@link OrderClient}).
 */
interface OrderServiceApi {

	@GetExchange("/orders")
	Mono<List<OrderView>> findByUser(@RequestParam("userId") UUID userId);

}
