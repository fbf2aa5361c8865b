package dev.cloudref.starter.idempotency;

import java.net.URI;

import org.springframework.http.ResponseEntity;

/**
 * The result of {@link IdempotencyKeys#execute}: the resource and whether this request
 * created it or an earlier request with the same key and body did.
 *
 * @param resource the created resource (never null)
 * @param replayed true if an earlier request with the same key created it, false if this
 * one did
 * @param <T> the resource's type
 */
public record Outcome<T>(T resource, boolean replayed) {

	/**
	 * Response header that marks a replayed outcome ({@code Idempotent-Replayed: true}).
	 */
	public static final String REPLAYED_HEADER = "Idempotent-Replayed";

	/**
	 * @param location the resource's URI, usually relative (see
	 * {@link dev.cloudref.starter.web.Locations})
	 * @return {@code 201 Created} with {@code Location} and the resource as body, plus
	 * {@code Idempotent-Replayed: true} when replayed
	 */
	public ResponseEntity<T> created(URI location) {
		ResponseEntity.BodyBuilder response = ResponseEntity.created(location);
		if (replayed) {
			response.header(REPLAYED_HEADER, "true");
		}
		return response.body(resource);
	}

}
