package dev.cloudref.user.user;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored user; also the JSON shape of a user in responses.
 *
 * @param id random UUID assigned on creation
 * @param name display name, 1..100 characters
 * @param email unique e-mail address, stored in lower case
 * @param createdAt creation time (UTC, millisecond precision)
 */
@Table("users")
public record User(@Id UUID id, String name, String email, Instant createdAt) {
}
