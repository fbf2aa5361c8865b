package dev.cloudref.user.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /users}.
 *
 * @param name display name, 1..100 characters, not blank
 * @param email a valid e-mail address of at most 254 characters
 */
public record CreateUserRequest(@NotBlank @Size(max = 100) String name,
		@NotBlank @Email @Size(max = 254) String email) {
}
