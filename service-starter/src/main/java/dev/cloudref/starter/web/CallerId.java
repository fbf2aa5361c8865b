package dev.cloudref.starter.web;

/**
 * The {@code Caller-Id} request header: who sent a request, as the API gateway
 * authenticated it (for an API key {@code api-key:<key id>}).
 *
 * <p>The gateway removes any {@code Caller-Id} that a client sends and sets its own, so a
 * service behind it can trust the value; services are not reachable except through the
 * gateway (they listen on loopback or the internal network). A request without the
 * header comes from inside the system (another service, a test) and names no caller.
 * Services use it to scope what belongs to a client, such as its idempotency keys.
 */
public final class CallerId {

	/** The header's name. */
	public static final String HEADER = "Caller-Id";

	/** What a valid value looks like: 1 to 255 visible ASCII characters (the columns' size). */
	public static final String PATTERN = "[\\x21-\\x7E]{1,255}";

	/** The caller of a request without the header: inside the system, unnamed. */
	public static final String UNNAMED = "";

	private CallerId() {
	}

	/**
	 * @param header the header's value, or null when the request has none
	 * @return the caller: the value, or {@link #UNNAMED} for null
	 */
	public static String of(String header) {
		return (header != null) ? header : UNNAMED;
	}

}
