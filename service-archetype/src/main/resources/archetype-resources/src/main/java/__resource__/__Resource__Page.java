package ${package}.${resource};

import java.util.List;

/**
 * One page of a user's ${resources}, oldest first ({@code GET /${resources}?ownerId=}).
 * Every list this service answers is paged, so that no client can ask for an answer
 * larger than its own or a caller's codec limit.
 *
 * @param content the ${resources} on this page, at most {@code size}
 * @param page zero-based page number
 * @param size requested page size
 * @param totalElements number of the user's ${resources} in all pages
 * @param totalPages number of pages of this size
 */
public record ${Resource}Page(List<${Resource}> content, int page, int size, long totalElements, int totalPages) {

	static ${Resource}Page of(List<${Resource}> content, int page, int size, long total) {
		return new ${Resource}Page(content, page, size, total, (int) ((total + size - 1) / size));
	}

}
