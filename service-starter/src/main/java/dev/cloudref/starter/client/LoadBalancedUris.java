package dev.cloudref.starter.client;

import java.net.URI;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Lets a {@code WebClient} take both {@code lb://<service-id>/path} (an instance of the
 * service chosen by Spring Cloud LoadBalancer, spoken to over HTTP) and plain
 * {@code http(s)://} URLs (sent as they are), as Spring Cloud Gateway's routes do. For
 * endpoints configured as a URL that may name either, such as an authorization server's
 * key set or token endpoint.
 */
public final class LoadBalancedUris {

	/** The scheme that names a service in the registry rather than a host. */
	public static final String SCHEME = "lb";

	private LoadBalancedUris() {
	}

	/**
	 * @param loadBalancer Spring Cloud LoadBalancer's filter (the retrying one where
	 * LoadBalancer retries are on)
	 * @return a filter that sends {@code lb://} requests through {@code loadBalancer} (as
	 * {@code http://<service-id>/...}) and every other request unchanged
	 */
	public static ExchangeFilterFunction filter(LoadBalancedExchangeFilterFunction loadBalancer) {
		return (request, next) -> {
			if (!SCHEME.equalsIgnoreCase(request.url().getScheme())) {
				return next.exchange(request);
			}
			URI http = UriComponentsBuilder.fromUri(request.url()).scheme("http").build(true).toUri();
			return loadBalancer.filter(ClientRequest.from(request).url(http).build(), next);
		};
	}

}
