package dev.cloudref.testsupport;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ThreadDumpOnTimeoutTest {

	@Test
	void recognisesReactorsBlockingReadTimeoutAlsoAsACause() {
		Throwable timeout = catchThrowable(() -> Mono.never().block(Duration.ofMillis(1)));

		assertThat(ThreadDumpOnTimeout.isBlockingReadTimeout(timeout)).isTrue();
		assertThat(ThreadDumpOnTimeout.isBlockingReadTimeout(new AssertionError("wrapped", timeout))).isTrue();
		assertThat(ThreadDumpOnTimeout.isBlockingReadTimeout(new AssertionError("expected 400 but was 500"))).isFalse();
	}

	@Test
	void dumpsEveryThreadWithItsFrames() {
		String dump = ThreadDumpOnTimeout.threadDump("aTest()");

		assertThat(dump).startsWith("Thread dump at the blocking-read timeout of aTest()")
			.contains("\"" + Thread.currentThread().getName() + "\" RUNNABLE")
			.contains(ThreadDumpOnTimeoutTest.class.getName() + ".dumpsEveryThreadWithItsFrames(");
	}

}
