package ${package}.${resource};

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored ${resource}; also its JSON shape in responses.
 *
 * @param id random UUID assigned on creation
 * @param name display name, 1..100 characters
 * @param ownerId the id of the user (user-service) it belongs to
 * @param createdAt creation time (UTC, millisecond precision)
 */
@Table("${resources}")
public record ${Resource}(@Id UUID id, String name, UUID ownerId, Instant createdAt) {
}
