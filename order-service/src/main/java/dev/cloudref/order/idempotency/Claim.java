package dev.cloudref.order.idempotency;

import java.util.UUID;

/**
 * What {@link IdempotencyKeys#claim(String, String)} found for a key: either this
 * request now holds the key and must create the order, or an earlier request with the
 * same body already created it.
 *
 * @param key the {@code Idempotency-Key}
 * @param token the claim's token while this request holds the key, else null
 * @param orderId the order created under the key when it was completed, else null
 */
public record Claim(String key, UUID token, UUID orderId) {

	static Claim held(String key, UUID token) {
		return new Claim(key, token, null);
	}

	static Claim completed(String key, UUID orderId) {
		return new Claim(key, null, orderId);
	}

	/**
	 * @return true if an earlier request completed under the key, so its order is to be
	 * replayed; false if this request holds the key
	 */
	public boolean isCompleted() {
		return orderId != null;
	}

}
