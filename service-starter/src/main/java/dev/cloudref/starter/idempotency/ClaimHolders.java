package dev.cloudref.starter.idempotency;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.TimeoutException;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.discovery.HealthCheckProbeProperties;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Tells whether the instance holding an in-flight claim is gone, by probing its
 * {@code /readyz}. Only a refused or reset connection counts: an answer or a timeout
 * (slow, not dead) leaves the claim until its lease ends.
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
			.clientConnector(ClientHttpConnectorBuilder.reactor()
				.build(HttpClientSettings.defaults().withTimeouts(probe.connectTimeout(), probe.responseTimeout())))
			.build();
	}

	/**
	 * @return this instance's base URL, recorded as the holder of the claims it makes;
	 * may be null
	 */
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
			.onErrorResume(WebClientRequestException.class, failed -> Mono.just(isRefusedOrReset(failed)))
			.onErrorReturn(false);
	}

	/**
	 * @param failure why the probe got no answer
	 * @return true for a refused connection or a reset, false for anything else, timeouts
	 * in particular
	 */
	static boolean isRefusedOrReset(Throwable failure) {
		boolean refusedOrReset = false;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			// Netty's ConnectTimeoutException is a ConnectException too: a timeout wins.
			if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException
					|| cause instanceof java.util.concurrent.TimeoutException
					|| cause instanceof SocketTimeoutException) {
				return false;
			}
			refusedOrReset |= cause instanceof ConnectException
					|| (cause instanceof IOException && isReset(cause.getMessage()));
		}
		return refusedOrReset;
	}

	/** Both the JDK's and Netty's native transport say "Connection reset" (by peer). */
	private static boolean isReset(String message) {
		return message != null && message.contains("Connection reset");
	}

}
