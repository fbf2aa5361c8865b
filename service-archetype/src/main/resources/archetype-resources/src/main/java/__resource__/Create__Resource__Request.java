package ${package}.${resource};

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.cloudref.starter.idempotency.IdempotencyKeys;

/**
 * Body of {@code POST /${resources}}.
 *
 * @param name display name, 1..100 characters, not blank, no control characters
 * @param ownerId the id of an existing user
 */
public record Create${Resource}Request(
		@NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cc}\\p{Cs}]*",
				message = "must not contain control characters or unpaired surrogates") String name,
		@NotNull UUID ownerId) {

	/**
	 * @return what makes two requests the same for an {@code Idempotency-Key} (SHA-256, hex)
	 */
	String fingerprint() {
		return IdempotencyKeys.fingerprint(name.strip(), ownerId);
	}

}
