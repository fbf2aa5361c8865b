package dev.cloudref.bench.webflux;

import reactor.netty.http.HttpProtocol;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * A gateway on Spring Cloud Gateway Server WebFlux with one route and nothing else, for
 * the benchmark's variant scenarios: the stack's own cost per request, without the real
 * gateway's filters and observation.
 */
@SpringBootApplication
public class BareWebfluxGateway {

	public static void main(String[] args) {
		SpringApplication.run(BareWebfluxGateway.class, args);
	}

	/**
	 * With {@code BENCH_UPSTREAM_PROTOCOL=h2c}: HTTP/2 without TLS (prior knowledge) to
	 * the services, which must then run with {@code SERVER_HTTP2_ENABLED=true}; HTTP/1.1
	 * with keep-alive otherwise.
	 * @return the customizer of the routing filter's client
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.upstream-protocol", havingValue = "h2c")
	HttpClientCustomizer h2cToServices() {
		return client -> client.protocol(HttpProtocol.H2C);
	}

}
