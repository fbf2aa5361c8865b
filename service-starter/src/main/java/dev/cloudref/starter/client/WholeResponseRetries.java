package dev.cloudref.starter.client;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Makes Spring Cloud LoadBalancer's retry on another instance cover the whole response of
 * an HTTP service group's call: a {@code 2xx} body is read inside the exchange, so a
 * connection that breaks mid-body is retried like a refused one.
 */
class WholeResponseRetries implements WebClientHttpServiceGroupConfigurer {

	/**
	 * After Spring Cloud LoadBalancer's group configurer (order 10), so its filter is
	 * outside this one.
	 */
	static final int ORDER = 100;

	@Override
	public void configureGroups(HttpServiceGroupConfigurer.Groups<WebClient.Builder> groups) {
		ExchangeFilterFunction filter = bodyInsideExchange();
		groups.forEachClient((group, builder) -> builder.filter(filter));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * @return a filter whose exchange completes only once the whole body has been read
	 */
	static ExchangeFilterFunction bodyInsideExchange() {
		return (request, next) -> next.exchange(request).flatMap(WholeResponseRetries::withBodyRead);
	}

	private static Mono<ClientResponse> withBodyRead(ClientResponse response) {
		if (!response.statusCode().is2xxSuccessful()) {
			// Retries on a status are decided by the status alone; error bodies are read
			// as before.
			return Mono.just(response);
		}
		// The client's own byte[] decoder copies the body to the heap, releases the
		// network buffers and enforces spring.http.codecs.max-in-memory-size.
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.map(body -> ClientResponse.create(response.statusCode(), response.strategies())
				.headers(headers -> headers.addAll(response.headers().asHttpHeaders()))
				.cookies(cookies -> cookies.addAll(response.cookies()))
				.request(response.request())
				// A fresh heap buffer per subscription: the decoder and a later
				// releaseBody() may both subscribe, and a heap buffer has no reference
				// count to get wrong.
				.body(Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body))))
				.build());
	}

}
