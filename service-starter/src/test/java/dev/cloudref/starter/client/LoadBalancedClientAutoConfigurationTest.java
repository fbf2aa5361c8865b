package dev.cloudref.starter.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancedClientAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LoadBalancedClientAutoConfiguration.class));

	@Test
	void addsWholeResponseRetriesToTheServiceGroups() {
		runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(WholeResponseRetries.class));
	}

	@Test
	void httpServiceGroupsFailAResponseThatDoesNotArriveWithinSpringBootsReadTimeout() throws Exception {
		// The kernel accepts the connection into the backlog; nobody ever answers.
		try (ServerSocket silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			runner
				.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
						HttpServiceClientPropertiesAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
						ReactiveHttpServiceClientAutoConfiguration.class))
				.withUserConfiguration(ThingsGroup.class)
				.withPropertyValues("spring.http.clients.read-timeout=200ms",
						"spring.http.serviceclient.things.base-url=http://127.0.0.1:" + silentServer.getLocalPort())
				.run(context -> {
					ThingsApi things = context.getBean(ThingsApi.class);
					assertThatThrownBy(() -> things.get().block(Duration.ofSeconds(30)))
						.isInstanceOf(WebClientRequestException.class)
						.hasRootCauseInstanceOf(ReadTimeoutException.class);
				});
		}
	}

	/** A service's API, called through the HTTP service group "things". */
	interface ThingsApi {

		@GetExchange("/things")
		Mono<String> get();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "things", types = ThingsApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class ThingsGroup {

	}

}
