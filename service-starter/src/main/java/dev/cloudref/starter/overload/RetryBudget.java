package dev.cloudref.starter.overload;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A retry budget (after Finagle's and Envoy's): over the last {@code window}, a retry is
 * allowed while {@code retries < ratio × requests + minRetriesPerSecond × windowSeconds},
 * so retries cannot multiply an overload. Thread-safe.
 */
public final class RetryBudget {

	private static final long SECOND_NANOS = Duration.ofSeconds(1).toNanos();

	private final double ratio;

	private final int minRetriesPerSecond;

	private final LongSupplier nanoClock;

	private final long[] slotSecond;

	private final long[] requests;

	private final long[] retries;

	/**
	 * @param ratio retries allowed per request, from 0 (e.g. 0.2 for 20% extra load)
	 * @param minRetriesPerSecond retries always allowed per second of the window, from 0
	 * @param window how far back requests and retries count, whole seconds, at least 1 s
	 */
	public RetryBudget(double ratio, int minRetriesPerSecond, Duration window) {
		this(ratio, minRetriesPerSecond, window, System::nanoTime);
	}

	RetryBudget(double ratio, int minRetriesPerSecond, Duration window, LongSupplier nanoClock) {
		if (ratio < 0 || minRetriesPerSecond < 0) {
			throw new IllegalArgumentException("ratio and minRetriesPerSecond must not be negative");
		}
		int slots = (int) Math.max(1, window.toSeconds());
		this.ratio = ratio;
		this.minRetriesPerSecond = minRetriesPerSecond;
		this.nanoClock = nanoClock;
		this.slotSecond = new long[slots];
		this.requests = new long[slots];
		this.retries = new long[slots];
		Arrays.fill(this.slotSecond, Long.MIN_VALUE);
	}

	/** Counts one request (a first attempt, not a retry). */
	public synchronized void recordRequest() {
		this.requests[slot()]++;
	}

	/**
	 * Decides whether one more retry fits the budget and, if it does, counts it.
	 * @return {@code true} if the caller may retry now
	 */
	public synchronized boolean tryRetry() {
		if (!hasRoom()) {
			return false;
		}
		recordRetry();
		return true;
	}

	/**
	 * @return whether one more retry fits the budget now (nothing is counted; a caller
	 * that then retries calls {@link #recordRetry()})
	 */
	public synchronized boolean hasRoom() {
		slot();
		long requestCount = 0;
		long retryCount = 0;
		for (int i = 0; i < this.requests.length; i++) {
			requestCount += this.requests[i];
			retryCount += this.retries[i];
		}
		double allowed = this.ratio * requestCount + (double) this.minRetriesPerSecond * this.requests.length;
		return retryCount + 1 <= allowed;
	}

	/** Counts one retry, whether or not it fitted the budget. */
	public synchronized void recordRetry() {
		this.retries[slot()]++;
	}

	/**
	 * @return the index of the current second's slot, cleared if it held an older second
	 */
	private int slot() {
		long second = Math.floorDiv(this.nanoClock.getAsLong(), SECOND_NANOS);
		int index = (int) Math.floorMod(second, (long) this.requests.length);
		if (this.slotSecond[index] != second) {
			// Slots whose second is out of the window count nothing any more.
			for (int i = 0; i < this.requests.length; i++) {
				if (this.slotSecond[i] <= second - this.requests.length) {
					this.requests[i] = 0;
					this.retries[i] = 0;
				}
			}
			this.slotSecond[index] = second;
			this.requests[index] = 0;
			this.retries[index] = 0;
		}
		return index;
	}

}
