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
 * The gateway's connection pool to the service instances, with the requests waiting for a
 * connection capped per instance ({@code gateway.limits.upstream-pending-acquires}),
 * which Spring Cloud Gateway leaves unbounded; refused requests get {@code 503}.
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
				// Only its settings are kept: the pool Spring built has no connection
				// yet.
				spring.dispose();
				return settings.pendingAcquireMaxCount(limits.upstreamPendingAcquires()).build();
			}
		};
	}

}
