package dev.cloudref.user.orders;

import java.util.List;

import dev.cloudref.user.user.User;

/**
 * Body of {@code GET /users/{id}/orders}: the user and one page of their orders.
 *
 * @param user the user
 * @param orders the orders on this page, oldest first
 * @param page zero-based page number
 * @param size requested page size
 * @param totalElements number of the user's orders in all pages
 * @param totalPages number of pages of this size
 */
public record UserOrders(User user, List<OrderView> orders, int page, int size, long totalElements, int totalPages) {

	static UserOrders of(User user, OrderPageView orders) {
		return new UserOrders(user, orders.content(), orders.page(), orders.size(), orders.totalElements(),
				orders.totalPages());
	}

}
