package dev.cloudref.order.users;

import java.util.UUID;

/**
 * What order-service reads of a user ({@code GET /users/{id}} of user-service); other
 * fields of the response are ignored.
 *
 * @param id the user's id
 * @param name the user's display name
 */
record UserSummary(UUID id, String name) {
}
