package dev.cloudref.user.user;

import java.util.List;

/**
 * One page of users, oldest first.
 *
 * @param content the users on this page
 * @param page zero-based page number
 * @param size requested page size
 * @param totalElements number of users in all pages
 * @param totalPages number of pages of this size
 */
public record UserPage(List<User> content, int page, int size, long totalElements, int totalPages) {

	static UserPage of(List<User> content, int page, int size, long total) {
		return new UserPage(content, page, size, total, (int) ((total + size - 1) / size));
	}

}
