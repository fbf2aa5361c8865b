package dev.cloudref.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cloudref.starter.config.RefreshableProperties;
import dev.cloudref.starter.web.ProblemResponses;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

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
	RefreshableProperties<RateLimitProperties> refreshableRateLimitProperties(RateLimitProperties properties,
			Environment environment, ObjectProvider<jakarta.validation.Validator> validator) {
		// Changed values are checked as Spring Boot checked them at start (Bean
		// Validation).
		return RefreshableProperties.validated("gateway.rate-limit", RateLimitProperties.class, properties, environment,
				validator);
	}

	@Bean
	RateLimitPolicies rateLimitPolicies(RefreshableProperties<RateLimitProperties> properties) {
		return new RateLimitPolicies(properties);
	}

	@Bean
	ApiKeyRateLimiter rateLimiter(RateLimitPolicies policies) {
		RateLimitProperties properties = policies.current();
		if (properties.redisUri().isBlank()) {
			log.info("Rate limits in memory: {} (per key overrides: {})", properties.defaults(),
					properties.keys().keySet());
			return new LocalApiKeyRateLimiter(policies);
		}
		log.info("Rate limits shared through Redis: {} (per key overrides: {})", properties.defaults(),
				properties.keys().keySet());
		return new RedisApiKeyRateLimiter(policies);
	}

	@Bean
	RateLimitFilter rateLimitFilter(ApiKeyRateLimiter rateLimiter, ProblemResponses problems, MeterRegistry meters) {
		return new RateLimitFilter(rateLimiter, problems, meters);
	}

	@Bean
	InFlightLimitFilter inFlightLimitFilter(RateLimitPolicies policies, ProblemResponses problems,
			MeterRegistry meters) {
		return new InFlightLimitFilter(policies, problems, meters);
	}

}
