package dev.cloudref.gateway.ratelimit;

/**
 * The outcome of asking for one request's token.
 *
 * @param allowed whether the request may pass
 * @param limit the bucket's capacity (requests)
 * @param remaining tokens left after this request (0 when refused)
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds seconds until a token is free (at least 1 if refused, else 0)
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds,
		long retryAfterSeconds) {

}
