package dev.cloudref.user.stats;

/**
 * An event this service can never apply (a missing field, an unknown schema version): it
 * is dead-lettered at once, not retried.
 */
class InvalidEventException extends RuntimeException {

	InvalidEventException(String message) {
		super(message);
	}

}
