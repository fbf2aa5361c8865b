package dev.cloudref.user.orders;

import java.util.List;

/**
 * One page of a user's orders as order-service returns it
 * ({@code GET /orders?userId=&page=&size=}).
 *
 * @param content the orders on this page, oldest first
 * @param page zero-based page number
 * @param size requested page size
 * @param totalElements number of the user's orders in all pages
 * @param totalPages number of pages of this size
 */
public record OrderPageView(List<OrderView> content, int page, int size, long totalElements, int totalPages) {
}
