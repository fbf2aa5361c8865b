package dev.cloudref.starter.apidocs;

/**
 * Descriptions of the error responses that many operations of the services share, for
 * their {@code @ApiResponse(description = ...)} annotations, so that every document says
 * the same thing the same way.
 */
public final class ResponseDescriptions {

	/** {@code 400} of an operation with a JSON request body. */
	public static final String INVALID_BODY = "The body is not JSON, or fails validation (see errors)";

	/** {@code 400} of an operation with a UUID path variable {@code id}. */
	public static final String INVALID_ID = "The id is not a UUID";

	/** {@code 503} of an operation that needs the service's own database. */
	public static final String DATABASE_UNAVAILABLE = "The database cannot be reached; retry after Retry-After seconds";

	private ResponseDescriptions() {
	}

}
