package dev.cloudref.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cloudref.starter.web.ProblemResponses;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Per-key rate limiting and in-flight caps, on unless
 * {@code gateway.rate-limit.enabled=false}: buckets in Redis when
 * {@code gateway.rate-limit.redis-uri} is set, otherwise in memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

	@Bean
	ApiKeyRateLimiter rateLimiter(RateLimitProperties properties) {
		if (properties.redisUri().isBlank()) {
			log.info("Rate limits in memory: {} (per key overrides: {})", properties.defaults(),
					properties.keys().keySet());
			return new LocalApiKeyRateLimiter(properties);
		}
		log.info("Rate limits shared through Redis: {} (per key overrides: {})", properties.defaults(),
				properties.keys().keySet());
		return new RedisApiKeyRateLimiter(properties);
	}

	@Bean
	RateLimitFilter rateLimitFilter(ApiKeyRateLimiter rateLimiter, ProblemResponses problems, MeterRegistry meters) {
		return new RateLimitFilter(rateLimiter, problems, meters);
	}

	@Bean
	InFlightLimitFilter inFlightLimitFilter(RateLimitProperties properties, ProblemResponses problems,
			MeterRegistry meters) {
		return new InFlightLimitFilter(properties, problems, meters);
	}

}
