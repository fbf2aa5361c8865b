package dev.cloudref.starter.idempotency;

import java.util.UUID;

/**
 * What {@link IdempotencyKeys#claim(String, String, String)} found for a key: this
 * request holds it now and must create the resource, or an earlier one already did.
 *
 * @param caller who sent the key ({@code ""} when unnamed)
 * @param key the {@code Idempotency-Key}
 * @param token the claim's token while this request holds the key, else null
 * @param resourceId the id (as text) of the resource created under the key, else null
 */
public record Claim(String caller, String key, UUID token, String resourceId) {

	static Claim held(String caller, String key, UUID token) {
		return new Claim(caller, key, token, null);
	}

	static Claim completed(String caller, String key, String resourceId) {
		return new Claim(caller, key, null, resourceId);
	}

	/**
	 * @return true if an earlier request completed under the key, so its resource is to
	 * be replayed; false if this request holds the key
	 */
	public boolean isCompleted() {
		return resourceId != null;
	}

}
