package dev.cloudref.user.stats;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import dev.cloudref.user.user.UserLookup;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static dev.cloudref.starter.apidocs.ResponseDescriptions.DATABASE_UNAVAILABLE;
import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_ID;

/**
 * A user's order statistics ({@code GET /users/{id}/stats}), answered from this service's
 * own database: it works while order-service is down.
 */
@RestController
@Tag(name = "Users")
class OrderStatsController {

	private final UserLookup users;

	private final OrderStatsStore stats;

	OrderStatsController(UserLookup users, OrderStatsStore stats) {
		this.users = users;
		this.stats = stats;
	}

	@GetMapping("/users/{id}/stats")
	@Operation(operationId = "getUserOrderStats", summary = "Get a user's order statistics",
			description = "How many orders the user placed and the latest one, kept from order-service's "
					+ "OrderPlaced events: an order counts shortly after it was placed (docs/events.md).")
	@ApiResponse(responseCode = "200", description = "The user's order statistics")
	@ApiResponse(responseCode = "400", description = INVALID_ID)
	@ApiResponse(responseCode = "404", description = "No user has this id")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<OrderStats> stats(@PathVariable UUID id) {
		return users.require(id).then(stats.find(id));
	}

}
