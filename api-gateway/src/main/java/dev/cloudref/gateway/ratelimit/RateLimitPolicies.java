package dev.cloudref.gateway.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cloudref.starter.config.RefreshableProperties;

/**
 * The rate-limit policies in force: {@code gateway.rate-limit.*} as bound at start, and
 * as changed while the gateway runs (a change in the config repository, see
 * {@link RefreshableProperties}). {@code enabled} and {@code redis-uri} are read at start
 * only: a change to them is logged as needing a restart.
 */
public class RateLimitPolicies {

	private static final Logger log = LoggerFactory.getLogger(RateLimitPolicies.class);

	private final RefreshableProperties<RateLimitProperties> properties;

	private final RateLimitProperties fixed;

	/**
	 * @param properties the policies, following configuration changes
	 */
	public RateLimitPolicies(RefreshableProperties<RateLimitProperties> properties) {
		this.properties = properties;
		this.fixed = null;
		properties.onChange((previous, next) -> {
			if (previous.enabled() != next.enabled() || !previous.redisUri().equals(next.redisUri())) {
				log.warn("gateway.rate-limit.enabled and redis-uri take effect at the next start only");
			}
		});
	}

	private RateLimitPolicies(RateLimitProperties fixed) {
		this.properties = null;
		this.fixed = fixed;
	}

	/**
	 * @param properties policies that never change (tests, tools)
	 * @return a holder of them
	 */
	public static RateLimitPolicies of(RateLimitProperties properties) {
		return new RateLimitPolicies(properties);
	}

	/**
	 * @param keyId an authenticated key id
	 * @return that key's policy in force, or the default policy
	 */
	public RateLimitProperties.Policy policyOf(String keyId) {
		return current().policyOf(keyId);
	}

	/**
	 * @return all the policies in force
	 */
	public RateLimitProperties current() {
		return (properties != null) ? properties.current() : fixed;
	}

}
