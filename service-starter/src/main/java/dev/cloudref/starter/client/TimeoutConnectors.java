package dev.cloudref.starter.client;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * Reactor Netty connectors with a connect and a response timeout: the one shape of HTTP
 * client that every WebClient of the starter uses (service-to-service calls, readiness
 * probes, the idempotency claim holders' probe).
 */
public final class TimeoutConnectors {

	private TimeoutConnectors() {
	}

	/**
	 * @param connectTimeout TCP connect timeout; whole milliseconds, at most
	 * {@link Integer#MAX_VALUE} ms
	 * @param responseTimeout time from request sent to response headers received
	 * @return a new connector over its own Reactor Netty {@link HttpClient} (shared
	 * event loop and connection pool)
	 */
	public static ClientHttpConnector of(Duration connectTimeout, Duration responseTimeout) {
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
			.responseTimeout(responseTimeout);
		return new ReactorClientHttpConnector(httpClient);
	}

}
