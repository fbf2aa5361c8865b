package dev.cloudref.starter.overload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyLimitFilterTest {

	private final SimpleLimiter<ServerWebExchange> limiter = SimpleLimiter.newBuilder().limit(FixedLimit.of(2)).build();

	private final AtomicInteger shed = new AtomicInteger();

	private final ConcurrencyLimitFilter filter = new ConcurrencyLimitFilter(this.limiter,
			List.of(PathPatternParser.defaultInstance.parse("/readyz"),
					PathPatternParser.defaultInstance.parse("/actuator/**")),
			Duration.ofSeconds(1), this.shed::incrementAndGet);

	private final Sinks.Empty<Void> release = Sinks.empty();

	private final WebFilterChain heldChain = exchange -> this.release.asMono();

	@Test
	void shedsRequestsAboveTheLimitWithA503AndRetryAfterUntilASlotIsFree() {
		Disposable first = this.filter.filter(get("/users/1"), this.heldChain).subscribe();
		Disposable second = this.filter.filter(get("/users/2"), this.heldChain).subscribe();
		assertThat(this.limiter.getInflight()).isEqualTo(2);

		StepVerifier.create(this.filter.filter(get("/users/3"), this.heldChain)).expectErrorSatisfies(error -> {
			assertThat(error).isInstanceOf(ConcurrencyLimitExceededException.class);
			ConcurrencyLimitExceededException shedError = (ConcurrencyLimitExceededException) error;
			assertThat(shedError.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(shedError.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(shedError.getBody().getTitle()).isEqualTo("Overloaded");
			assertThat(shedError.getStackTrace()).isEmpty();
		}).verify(Duration.ofSeconds(5));
		assertThat(this.shed).hasValue(1);

		this.release.tryEmitEmpty();
		assertThat(first.isDisposed()).isTrue();
		assertThat(second.isDisposed()).isTrue();
		assertThat(this.limiter.getInflight()).isZero();
		StepVerifier.create(this.filter.filter(get("/users/3"), exchange -> Mono.empty()))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.shed).hasValue(1);
	}

	@Test
	void probesAndTheActuatorAreNeverShed() {
		this.filter.filter(get("/users/1"), this.heldChain).subscribe();
		this.filter.filter(get("/users/2"), this.heldChain).subscribe();

		StepVerifier.create(this.filter.filter(get("/readyz"), exchange -> Mono.empty()))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(this.filter.filter(get("/actuator/health/readiness"), exchange -> Mono.empty()))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.shed).hasValue(0);
	}

	@Test
	void aFailedOrCancelledRequestGivesItsSlotBack() {
		StepVerifier.create(this.filter.filter(get("/users/1"), exchange -> Mono.error(new IllegalStateException())))
			.expectError(IllegalStateException.class)
			.verify(Duration.ofSeconds(5));
		Disposable cancelled = this.filter.filter(get("/users/2"), this.heldChain).subscribe();
		assertThat(this.limiter.getInflight()).isEqualTo(1);

		cancelled.dispose();

		assertThat(this.limiter.getInflight()).isZero();
	}

	private static MockServerWebExchange get(String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(path));
	}

}
