package dev.cloudref.starter.overload;

import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Puts {@link ConcurrencyLimitFilter} in front of every reactive server built on the
 * starter, configured by {@link ConcurrencyLimitProperties}. Off with
 * {@code cloudref.concurrency-limit.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnProperty(name = "cloudref.concurrency-limit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConcurrencyLimitProperties.class)
public class OverloadAutoConfiguration {

	/**
	 * @param properties the limit's bounds
	 * @return the server's limiter: one for all its requests
	 */
	@Bean
	@ConditionalOnMissingBean
	public AbstractLimiter<ServerWebExchange> serverConcurrencyLimiter(ConcurrencyLimitProperties properties) {
		Gradient2Limit limit = Gradient2Limit.newBuilder()
			.initialLimit(Math.max(properties.initialLimit(), properties.minLimit()))
			.minLimit(properties.minLimit())
			.maxConcurrency(Math.max(properties.maxLimit(), properties.minLimit()))
			.build();
		return SimpleLimiter.newBuilder().named("server").limit(limit).build();
	}

	/**
	 * @param limiter the server's limiter
	 * @param properties the excluded paths and {@code Retry-After}
	 * @param meters where the limit, the requests in flight and the shed count are
	 * published, if metrics are on
	 * @return the filter
	 */
	@Bean
	public ConcurrencyLimitFilter concurrencyLimitFilter(AbstractLimiter<ServerWebExchange> limiter,
			ConcurrencyLimitProperties properties, ObjectProvider<MeterRegistry> meters) {
		MeterRegistry registry = meters.getIfAvailable();
		Runnable onShed = () -> {
		};
		if (registry != null) {
			Gauge.builder("cloudref.concurrency.limit", limiter, AbstractLimiter::getLimit)
				.description("Requests this server admits at once (adaptive)")
				.register(registry);
			Gauge.builder("cloudref.concurrency.in.flight", limiter, AbstractLimiter::getInflight)
				.description("Requests holding a slot of the concurrency limit")
				.register(registry);
			Counter shed = Counter.builder("cloudref.concurrency.shed")
				.description("Requests answered 503 because the concurrency limit was reached")
				.register(registry);
			onShed = shed::increment;
		}
		PathPatternParser parser = PathPatternParser.defaultInstance;
		return new ConcurrencyLimitFilter(limiter, properties.excludedPaths().stream().map(parser::parse).toList(),
				properties.retryAfter(), onShed);
	}

}
