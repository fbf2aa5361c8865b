package dev.cloudref.gateway.limits;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Problem details (RFC 9457) for the few answers that Reactor Netty gives before a
 * request reaches Spring, where the application's codecs are not available. Their text is
 * fixed: nothing from the request is echoed.
 */
final class NettyProblems {

	/** Media type of every body built here. */
	static final String CONTENT_TYPE = "application/problem+json";

	private NettyProblems() {
	}

	/**
	 * @param status a 4xx status that Netty or Reactor Netty answers by itself
	 * @param detail what is wrong, in plain words (JSON-safe: no quotes or backslashes)
	 * @return the problem detail as JSON, titled like the gateway's own problems
	 */
	static String json(HttpResponseStatus status, String detail) {
		return "{\"title\":\"" + title(status) + "\",\"status\":" + status.code() + ",\"detail\":\"" + detail + "\"}";
	}

	/**
	 * @param status the status of a response Netty could not decode the request for
	 * @return the problem detail for it as JSON
	 */
	static String decodingFailure(HttpResponseStatus status) {
		return json(status, switch (status.code()) {
			case 414 -> "The request line is too long.";
			case 431 -> "The request header fields are too large.";
			default -> "The request is not valid HTTP/1.1.";
		});
	}

	private static String title(HttpResponseStatus status) {
		return switch (status.code()) {
			case 400 -> "Bad Request";
			case 414 -> "URI too long";
			case 431 -> "Request header fields too large";
			default -> status.reasonPhrase();
		};
	}

}
