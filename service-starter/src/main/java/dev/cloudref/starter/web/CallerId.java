package dev.cloudref.starter.web;

/**
 * The {@code Caller-Id} request header: who sent a request, as the API gateway
 * authenticated it (e.g. {@code api-key:<key id>}). Trusted because the gateway replaces
 * any client value; absent on requests from inside the system.
 */
public final class CallerId {

	/** The header's name. */
	public static final String HEADER = "Caller-Id";

	/**
	 * What a valid value looks like: 1 to 255 visible ASCII characters (the columns'
	 * size).
	 */
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
