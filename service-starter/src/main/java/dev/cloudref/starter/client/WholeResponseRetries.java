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
 * Makes Spring Cloud LoadBalancer's retry on another instance cover the whole response
 * of an HTTP service group's call, body included, not only its status and headers.
 *
 * <p>Why: LoadBalancer's retry filter sees the exchange, which completes when the
 * response headers arrive; the body is read later, outside it. An instance that dies
 * after sending {@code 200} and the first part of a streamed body (a JSON array written
 * row by row) fails the call with "connection prematurely closed during response", and
 * no retry happens although the request was an idempotent GET. This filter sits inside
 * LoadBalancer's (it is added after it) and reads the body into one buffer before the
 * exchange completes, so a broken body is an I/O error of the exchange, retried like a
 * refused connection, and counted against the instance by outlier detection.
 *
 * <p>Only {@code 2xx} bodies are read here (retries on a status need no body). The body
 * is copied to the heap and the network buffers released at once, by the client's own
 * {@code byte[]} decoder. It is bounded by {@code spring.http.codecs.max-in-memory-size}; a
 * larger one fails with {@link org.springframework.core.io.buffer.DataBufferLimitException},
 * which is not retried.
 */
class WholeResponseRetries implements WebClientHttpServiceGroupConfigurer {

	/** After Spring Cloud LoadBalancer's group configurer (order 10), so its filter is outside this one. */
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
			// Retries on a status are decided by the status alone; error bodies are read as before.
			return Mono.just(response);
		}
		// The client's own byte[] decoder copies the body to the heap, releases the network
		// buffers and enforces spring.http.codecs.max-in-memory-size.
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.map(body -> ClientResponse.create(response.statusCode(), response.strategies())
				.headers(headers -> headers.addAll(response.headers().asHttpHeaders()))
				.cookies(cookies -> cookies.addAll(response.cookies()))
				.request(response.request())
				// A fresh heap buffer per subscription: the decoder and a later releaseBody()
				// may both subscribe, and a heap buffer has no reference count to get wrong.
				.body(Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body))))
				.build());
	}

}
