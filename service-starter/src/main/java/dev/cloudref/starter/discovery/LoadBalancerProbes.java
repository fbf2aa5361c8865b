package dev.cloudref.starter.discovery;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client of every LoadBalancer readiness probe, with an event loop and
 * connection pool of its own, so probes are timed and read on time while the
 * application's event loops are saturated.
 */
public class LoadBalancerProbes implements DisposableBean {

	private final LoopResources loop = LoopResources.create("lb-probe", 1, true);

	private final ConnectionProvider connections = ConnectionProvider.builder("lb-probe")
		.maxConnections(50)
		.pendingAcquireMaxCount(200)
		.build();

	private final WebClient client;

	/**
	 * @param probe the probe's connect and response timeouts
	 */
	public LoadBalancerProbes(HealthCheckProbeProperties probe) {
		HttpClient httpClient = HttpClient.create(this.connections)
			.runOn(this.loop)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(probe.connectTimeout().toMillis()))
			.responseTimeout(probe.responseTimeout());
		this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)).build();
	}

	/**
	 * @return the client probes are sent with (not load-balanced: it calls instance
	 * addresses)
	 */
	public WebClient client() {
		return this.client;
	}

	@Override
	public void destroy() {
		this.connections.dispose();
		this.loop.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(3));
	}

}
