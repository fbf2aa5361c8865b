package dev.cloudref.starter.overload;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Sheds requests above the server's adaptive concurrency limit with a fast {@code 503}
 * ({@link ConcurrencyLimitExceededException}), so an overloaded server serves those it
 * admits at normal latency instead of queueing all of them until they time out.
 */
public class ConcurrencyLimitFilter implements WebFilter, Ordered {

	/**
	 * The filter's order: after the gateway's key and rate-limit filters (10, 20), so a
	 * key over its rate gets {@code 429} and does not use up the shared limit.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

	private final AbstractLimiter<ServerWebExchange> limiter;

	private final List<PathPattern> excludedPaths;

	private final Duration retryAfter;

	private final Runnable onShed;

	/**
	 * @param limiter the limiter; requests it refuses are shed
	 * @param excludedPaths paths that bypass the limiter
	 * @param retryAfter the {@code Retry-After} of a shed request
	 * @param onShed called once per shed request (e.g. to count it)
	 */
	public ConcurrencyLimitFilter(AbstractLimiter<ServerWebExchange> limiter, List<PathPattern> excludedPaths,
			Duration retryAfter, Runnable onShed) {
		this.limiter = limiter;
		this.excludedPaths = List.copyOf(excludedPaths);
		this.retryAfter = retryAfter;
		this.onShed = onShed;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isExcluded(exchange.getRequest().getPath().pathWithinApplication())) {
			return chain.filter(exchange);
		}
		Optional<Limiter.Listener> slot = this.limiter.acquire(exchange);
		if (slot.isEmpty()) {
			this.onShed.run();
			return Mono.error(new ConcurrencyLimitExceededException(this.limiter.getLimit(), this.retryAfter));
		}
		Limiter.Listener listener = slot.get();
		return chain.filter(exchange).doFinally(signal -> {
			if (signal == SignalType.ON_COMPLETE) {
				listener.onSuccess();
			}
			else {
				listener.onIgnore();
			}
		});
	}

	private boolean isExcluded(PathContainer path) {
		for (PathPattern pattern : this.excludedPaths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

}
