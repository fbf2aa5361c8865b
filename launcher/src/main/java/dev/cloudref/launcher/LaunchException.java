package dev.cloudref.launcher;

/**
 * The system could not be started: a port in use, an app that exited, a wait that timed
 * out. The message is one line a user can act on; {@link #details()} adds what helps
 * (e.g. the tail of the log of the app that exited).
 */
public class LaunchException extends RuntimeException {

	private final String details;

	/**
	 * @param message what went wrong, one line
	 * @param details more lines, or an empty string
	 */
	public LaunchException(String message, String details) {
		super(message);
		this.details = details;
	}

	/**
	 * @return lines that explain the message (may be empty)
	 */
	public String details() {
		return details;
	}

}
