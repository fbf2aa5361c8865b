package ${package}.users;

import java.util.UUID;

/**
 * What this service reads of a user ({@code GET /users/{id}}); other fields are ignored.
 *
 * @param id the user's id
 */
record UserSummary(UUID id) {
}
