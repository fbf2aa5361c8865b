package dev.cloudref.user.orders;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;

import dev.cloudref.user.user.UserLookup;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_ID;

/**
 * A user together with their orders ({@code GET /users/{id}/orders}): the user from this
 * service's database, the orders from order-service.
 */
@RestController
@Tag(name = "Users")
class UserOrdersController {

	private final UserLookup users;

	private final OrderClient orders;

	UserOrdersController(UserLookup users, OrderClient orders) {
		this.users = users;
		this.orders = orders;
	}

	@GetMapping("/users/{id}/orders")
	@Operation(operationId = "getUserWithOrders", summary = "Get a user with one page of their orders",
			description = "The user from user-service, one page of their orders (oldest first) from order-service.")
	@ApiResponse(responseCode = "200", description = "The user and one page of their orders")
	@ApiResponse(responseCode = "400", description = INVALID_ID + "; or page or size is out of range")
	@ApiResponse(responseCode = "404", description = "No user has this id")
	@ApiResponse(responseCode = "503",
			description = "order-service or the database cannot answer right now; retry after Retry-After seconds")
	Mono<UserOrders> userWithOrders(@PathVariable UUID id,
			@Parameter(description = "Zero-based page number") @RequestParam(
					defaultValue = "0") @Min(0) @Max(10_000) int page,
			@Parameter(description = "Orders per page") @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return users.require(id)
			.flatMap(user -> orders.ordersOf(id, page, size).map(found -> UserOrders.of(user, found)));
	}

}
