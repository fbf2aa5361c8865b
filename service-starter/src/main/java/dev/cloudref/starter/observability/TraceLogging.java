package dev.cloudref.starter.observability;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * Log lines with the request's trace and span ids in reactive code, which restores them
 * (with {@code spring.reactor.context-propagation=limited}) only in {@code handle} and
 * {@code tap}: use {@link #onNext} in a chain, else {@link #loggedThen} or
 * {@link #logged}.
 */
public final class TraceLogging {

	private TraceLogging() {
	}

	/**
	 * A {@code handle} callback that runs a log statement for each value, with the
	 * subscriber's trace context restored, then passes the value on: the {@code doOnNext}
	 * of log lines.
	 * @param logStatement the statement; it should only log
	 * @param <T> the values' type
	 * @return the callback for {@link Mono#handle} or {@code Flux#handle}; a value is not
	 * passed on (the sequence fails instead) if {@code logStatement} throws
	 */
	public static <T> BiConsumer<T, SynchronousSink<T>> onNext(Consumer<? super T> logStatement) {
		return (value, sink) -> {
			logStatement.accept(value);
			sink.next(value);
		};
	}

	/**
	 * Runs a log statement with the subscriber's trace context restored, then emits a
	 * value.
	 * @param logStatement the statement; it should only log (it runs once per
	 * subscription, on the subscribing thread)
	 * @param value the value to emit afterwards, not {@code null}
	 * @param <T> the value's type
	 * @return a {@link Mono} of {@code value}; it fails with what {@code logStatement}
	 * throws
	 */
	public static <T> Mono<T> loggedThen(Runnable logStatement, T value) {
		return Mono.just(value).handle(onNext(emitted -> logStatement.run()));
	}

	/**
	 * Runs a log statement with the subscriber's trace context restored.
	 * @param logStatement the statement (once per subscription, on the subscribing
	 * thread)
	 * @return an empty {@link Mono} that completes after the statement; it fails with
	 * what {@code logStatement} throws
	 */
	public static Mono<Void> logged(Runnable logStatement) {
		return loggedThen(logStatement, Boolean.TRUE).then();
	}

}
