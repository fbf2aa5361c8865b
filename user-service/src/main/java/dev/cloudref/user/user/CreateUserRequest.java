package dev.cloudref.user.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /users}. Both fields are text without control characters (such as
 * U+0000, which PostgreSQL cannot store) and without unpaired surrogates (which are no
 * Unicode text and would be stored as {@code ?}).
 *
 * @param name display name, 1..100 characters, not blank
 * @param email a valid e-mail address of at most 254 characters
 */
public record CreateUserRequest(
		@NotBlank @Size(max = 100) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE) String name,
		@NotBlank @Email @Size(max = 254) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE) String email) {

	/** Any characters except control characters (Cc) and unpaired surrogates (Cs). */
	static final String PLAIN_TEXT = "[^\\p{Cc}\\p{Cs}]*";

	static final String PLAIN_TEXT_MESSAGE = "must not contain control characters or unpaired surrogates";

}
