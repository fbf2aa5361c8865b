package dev.cloudref.user.orders;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.user.user.UserLookup;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user together with their orders ({@code GET /users/{id}/orders}): the user from
 * this service's database, the orders from order-service.
 */
@RestController
class UserOrdersController {

	private final UserLookup users;

	private final OrderClient orders;

	UserOrdersController(UserLookup users, OrderClient orders) {
		this.users = users;
		this.orders = orders;
	}

	@GetMapping("/users/{id}/orders")
	Mono<UserOrders> userWithOrders(@PathVariable UUID id) {
		return users.require(id).flatMap(user -> orders.ordersOf(id).map(list -> new UserOrders(user, list)));
	}

}
