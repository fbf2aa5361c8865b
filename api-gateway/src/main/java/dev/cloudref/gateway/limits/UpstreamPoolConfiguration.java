package dev.cloudref.gateway.limits;

import java.util.List;

import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's connection pool to the service instances, bounded in what it holds and
 * in what waits for it.
 *
 * <p>Spring Cloud Gateway's {@code httpclient.pool.type=fixed} caps the connections per
 * instance ({@code max-connections}) and the wait for one ({@code acquire-timeout}), but
 * lets any number of requests wait (its pending-acquire count is unbounded, -1). This
 * factory replaces Spring's (which backs off when one exists) and caps the waiting
 * requests per instance at {@code gateway.limits.upstream-pending-acquires}. Requests
 * refused by either cap are answered {@code 503} with {@code Retry-After}
 * ({@code UpstreamProblems}).
 */
@Configuration(proxyBeanMethods = false)
class UpstreamPoolConfiguration {

	/**
	 * @return Spring Cloud Gateway's HTTP client factory with a capped pending-acquire
	 * queue on every pool but a disabled one
	 */
	@Bean
	HttpClientFactory boundedPoolHttpClientFactory(HttpClientProperties properties, ServerProperties server,
			HttpClientSslConfigurer ssl, List<HttpClientCustomizer> customizers, LimitsProperties limits) {
		return new HttpClientFactory(properties, server, ssl, customizers) {
			@Override
			protected ConnectionProvider buildConnectionProvider(HttpClientProperties properties) {
				ConnectionProvider spring = super.buildConnectionProvider(properties);
				if (properties.getPool().getType() == HttpClientProperties.Pool.PoolType.DISABLED) {
					return spring;
				}
				ConnectionProvider.Builder settings = spring.mutate();
				// Only its settings are kept: the pool Spring built has no connection yet.
				spring.dispose();
				return settings.pendingAcquireMaxCount(limits.upstreamPendingAcquires()).build();
			}
		};
	}

}
