package dev.cloudref.order.order;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.cloudref.starter.idempotency.IdempotencyKeys;

/**
 * Body of {@code POST /orders}.
 *
 * @param userId an existing user's id
 * @param sku 1..64 characters of letters, digits, {@code -}, {@code _} or {@code .}
 * @param quantity 1..1000
 */
public record CreateOrderRequest(@NotNull UUID userId,
		@NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}",
				message = "must be 1-64 letters, digits, '.', '_' or '-'") String sku,
		@NotNull @Min(1) @Max(1000) Integer quantity) {

	/**
	 * @return SHA-256 (hex) of the request's canonical form, to tell a repeated request
	 * from a different one that reuses an idempotency key
	 */
	String fingerprint() {
		return IdempotencyKeys.fingerprint(userId, sku, quantity);
	}

}
