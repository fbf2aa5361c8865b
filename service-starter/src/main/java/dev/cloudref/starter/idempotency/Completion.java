package dev.cloudref.starter.idempotency;

import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * Handed to the creating step of {@link IdempotencyKeys#execute}: stores the resource and
 * completes the request's claim on its key together.
 *
 * @param <T> the resource's type
 */
public final class Completion<T> {

	private final IdempotencyKeys keys;

	private final Claim claim;

	/**
	 * @param keys the keys the claim belongs to; null with {@code claim}
	 * @param claim the claim this request holds, or null for a request without key
	 */
	Completion(IdempotencyKeys keys, Claim claim) {
		this.keys = keys;
		this.claim = claim;
	}

	/**
	 * Runs {@code write} and, for a request with a key, marks its claim completed with
	 * the id of what {@code write} created, in one transaction: both are stored or
	 * neither. Only the write belongs here: calls to other services go before it, so that
	 * no transaction stays open while they run.
	 * @param write stores the resource, e.g. {@code R2dbcEntityOperations.insert(...)}
	 * @param resourceId the id of the stored resource; stored as {@code toString()}, at
	 * most 255 characters, and handed back to the replay function of
	 * {@link IdempotencyKeys#execute}
	 * @return what {@code write} emitted; errors with what it errored with, or with
	 * {@link IdempotencyKeyInFlightException} if the claim was taken over meanwhile
	 */
	public Mono<T> store(Mono<T> write, Function<? super T, ?> resourceId) {
		if (claim == null) {
			return write;
		}
		return keys.complete(claim, write, resourceId);
	}

}
