package dev.cloudref.starter.observability;

import reactor.core.publisher.Mono;

/**
 * Log lines that carry the current request's trace and span ids, in reactive code.
 *
 * <p>The apps run with {@code spring.reactor.context-propagation=limited}: Reactor keeps
 * the request's observation (and with it the trace context) in the subscriber's
 * {@link reactor.util.context.Context}, and copies it into thread locals, where the
 * logging MDC reads it, only around the callbacks of its {@code handle} and {@code tap}
 * operators (Reactor reference, "Context-Propagation Support"). {@code auto} would do that
 * around every signal of every operator; in every benchmark run that cost the gateway
 * and the services more CPU time per request (docs/benchmarks.md). Elsewhere a
 * line has the ids only while an instrumented step still has the trace in scope on the
 * thread, which a switch of thread (timeout, retry back-off, {@code publishOn}) ends.
 * So a log statement on a request path runs inside {@code handle}: in a chain, replace
 * {@code doOnNext(v -> log.info(..))} with
 * {@code handle((v, sink) -> { log.info(..); sink.next(v); })}; where the line is written
 * before a result is built (exception handlers, filters), use these methods.
 */
public final class TraceLogging {

	private TraceLogging() {
	}

	/**
	 * Runs a log statement with the subscriber's trace context restored, then emits a value.
	 * @param logStatement the statement; it should only log (it runs once per subscription,
	 * on the subscribing thread)
	 * @param value the value to emit afterwards, not {@code null}
	 * @param <T> the value's type
	 * @return a {@link Mono} of {@code value}; it fails with what {@code logStatement} throws
	 */
	public static <T> Mono<T> loggedThen(Runnable logStatement, T value) {
		return Mono.just(value).handle((emitted, sink) -> {
			logStatement.run();
			sink.next(emitted);
		});
	}

	/**
	 * Runs a log statement with the subscriber's trace context restored.
	 * @param logStatement the statement (once per subscription, on the subscribing thread)
	 * @return an empty {@link Mono} that completes after the statement; it fails with what
	 * {@code logStatement} throws
	 */
	public static Mono<Void> logged(Runnable logStatement) {
		return Mono.just(Boolean.TRUE).<Void>handle((ignored, sink) -> {
			logStatement.run();
			sink.complete();
		});
	}

}
