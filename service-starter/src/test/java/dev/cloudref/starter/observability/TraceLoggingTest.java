package dev.cloudref.starter.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without automatic context propagation (the apps' {@code limited} mode), a value kept in
 * the Reactor Context reaches a thread local (as the trace context reaches the log MDC)
 * inside {@link TraceLogging}'s statements, even on a thread other than the subscriber's,
 * and not in a plain {@code doOnNext}.
 */
class TraceLoggingTest {

	static final String KEY = "trace-logging-test";

	static final ThreadLocal<String> current = new ThreadLocal<>();

	@BeforeAll
	static void registerAccessor() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, current::get, current::set, current::remove);
	}

	@AfterAll
	static void removeAccessor() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
	}

	@Test
	void loggedThenRunsTheStatementWithTheContextRestoredThenEmitsTheValue() {
		AtomicReference<String> seen = new AtomicReference<>();

		String emitted = TraceLogging.loggedThen(() -> seen.set(current.get()), "value")
			.subscribeOn(Schedulers.parallel())
			.contextWrite(Context.of(KEY, "trace-1"))
			.block(Duration.ofSeconds(5));

		assertThat(emitted).isEqualTo("value");
		assertThat(seen.get()).isEqualTo("trace-1");
		assertThat(current.get()).as("nothing left on the test thread").isNull();
	}

	@Test
	void loggedRunsTheStatementWithTheContextRestoredAndCompletesEmpty() {
		AtomicReference<String> seen = new AtomicReference<>();

		Boolean empty = TraceLogging.logged(() -> seen.set(current.get()))
			.subscribeOn(Schedulers.parallel())
			.contextWrite(Context.of(KEY, "trace-2"))
			.hasElement()
			.block(Duration.ofSeconds(5));

		assertThat(empty).isFalse();
		assertThat(seen.get()).isEqualTo("trace-2");
	}

	@Test
	void aPlainDoOnNextDoesNotSeeTheContext() {
		AtomicReference<String> seen = new AtomicReference<>("unset");

		Mono.just("value")
			.doOnNext(value -> seen.set(current.get()))
			.subscribeOn(Schedulers.parallel())
			.contextWrite(Context.of(KEY, "trace-3"))
			.block(Duration.ofSeconds(5));

		assertThat(seen.get()).as("what TraceLogging is for").isNull();
	}

}
