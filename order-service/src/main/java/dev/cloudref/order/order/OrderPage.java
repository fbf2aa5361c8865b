package dev.cloudref.order.order;

import java.util.List;

/**
 * One page of a user's orders, oldest first ({@code GET /orders?userId=}).
 *
 * @param content the orders on this page, at most {@code size}
 * @param page zero-based page number
 * @param size requested page size
 * @param totalElements number of the user's orders in all pages
 * @param totalPages number of pages of this size
 */
public record OrderPage(List<Order> content, int page, int size, long totalElements, int totalPages) {

	static OrderPage of(List<Order> content, int page, int size, long total) {
		return new OrderPage(content, page, size, total, (int) ((total + size - 1) / size));
	}

}
