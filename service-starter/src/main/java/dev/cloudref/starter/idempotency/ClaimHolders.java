package dev.cloudref.starter.idempotency;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.client.TimeoutConnectors;
import dev.cloudref.starter.discovery.HealthCheckProbeProperties;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Tells whether the instance holding an in-flight claim is gone, by asking it for its
 * readiness probe ({@code GET <holder>/readyz}), with the timeouts of the load
 * balancer's readiness probes ({@code cloudref.loadbalancer.health-check.*}).
 *
 * <p>Only a failed connection (refused, reset, closed: nothing listens there any more)
 * counts as gone. Any HTTP answer, even {@code 503}, means the process is alive and may
 * still finish its request; a timeout proves nothing either. In both cases the claim
 * stays until its lease ends.
 */
class ClaimHolders {

	private final String self;

	private final WebClient client;

	/**
	 * @param self this instance's base URL as recorded in its claims (e.g.
	 * {@code http://10.0.0.5:8080}), or null when unknown
	 * @param probe the probe's connect and response timeouts
	 */
	ClaimHolders(String self, HealthCheckProbeProperties probe) {
		this.self = self;
		this.client = WebClient.builder()
			.clientConnector(TimeoutConnectors.of(probe.connectTimeout(), probe.responseTimeout()))
			.build();
	}

	/** @return this instance's base URL, recorded as the holder of the claims it makes; may be null */
	String self() {
		return self;
	}

	/**
	 * @param holder the base URL recorded with a claim, or null
	 * @return true if the holder is another instance and nothing answers at its address
	 */
	Mono<Boolean> isGone(String holder) {
		if (holder == null || holder.equals(self)) {
			return Mono.just(false);
		}
		return client.get()
			.uri(holder + "/readyz")
			.exchangeToMono(response -> response.releaseBody().thenReturn(false))
			.onErrorResume(WebClientRequestException.class, unreachable -> Mono.just(true))
			.onErrorReturn(false);
	}

}
