package dev.cloudref.gateway.security;

import java.net.URI;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.web.ProblemResponses;

import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticationFilterTest {

	/** Raw request paths: the plain form and the forms a raw string test misses. */
	private static final List<String> PATHS = List.of("/api/users", "/api/users/1", "/%61pi/users", "/%61%70%69/users",
			"/api;x/users", "/api;x=1;y=2/users/1", "/api/users;v=1", "/%61pi;x/users/1", "/api/%75sers", "//api/users",
			"/./api/users", "/x/../api/users", "/API/users", "/Api/users", "/api%2Fusers", "/apiusers", "/ap%69/users",
			"/api", "/api/", "/");

	private final ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(
			new ApiKeyRegistry(new ApiKeyProperties(List.of())), new ProblemResponses(ServerCodecConfigurer.create()),
			new BearerTokens(
					new BearerTokenProperties(false, "https://issuer.example", "api",
							URI.create("http://127.0.0.1:9/jwks"), List.of()),
					new StaticListableBeanFactory().getBeanProvider(LoadBalancedExchangeFilterFunction.class)));

	@Test
	void everyPathThatTheUserRoutesMatchNeedsAKey() {
		Predicate<ServerWebExchange> userRoutes = new PathRoutePredicateFactory(new WebFluxProperties())
			.apply(new PathRoutePredicateFactory.Config().setPatterns(List.of("/api/users", "/api/users/**")));
		int routed = 0;
		for (String path : PATHS) {
			MockServerWebExchange exchange = exchange(path);
			if (userRoutes.test(exchange)) {
				routed++;
				assertThat(
						ApiKeyAuthenticationFilter.isApiPath(exchange.getRequest().getPath().pathWithinApplication()))
					.as(path)
					.isTrue();
			}
		}
		// The encoded and matrix forms are among them: the property is not vacuous.
		assertThat(routed).isGreaterThanOrEqualTo(8);
	}

	@Test
	void refusesEncodedAndMatrixFormsOfTheApiPrefixWithoutAKey() {
		for (String path : List.of("/%61pi/users", "/api;x/users", "/%61%70%69/users/1", "/api/users")) {
			MockServerWebExchange exchange = exchange(path);
			AtomicBoolean passed = new AtomicBoolean();

			filter.filter(exchange, next -> Mono.fromRunnable(() -> passed.set(true))).block();

			assertThat(passed).as(path).isFalse();
			assertThat(exchange.getResponse().getStatusCode()).as(path).isEqualTo(HttpStatus.UNAUTHORIZED);
		}
	}

	@Test
	void letsPathsOutsideTheApiThroughWithoutAKey() {
		for (String path : List.of("/swagger-ui.html", "/v3/api-docs/user-service", "/apiusers", "/")) {
			AtomicBoolean passed = new AtomicBoolean();

			filter.filter(exchange(path), next -> Mono.fromRunnable(() -> passed.set(true))).block();

			assertThat(passed).as(path).isTrue();
		}
	}

	private static MockServerWebExchange exchange(String rawPath) {
		// As sent, not URI-template expanded and encoded again.
		return MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create("https://localhost" + rawPath)).build());
	}

}
