package dev.cloudref.user.orders;

import java.util.List;

import dev.cloudref.user.user.User;

/**
 * Body of {@code GET /users/{id}/orders}.
 *
 * @param user the user
 * @param orders the user's orders, oldest first
 */
public record UserOrders(User user, List<OrderView> orders) {
}
