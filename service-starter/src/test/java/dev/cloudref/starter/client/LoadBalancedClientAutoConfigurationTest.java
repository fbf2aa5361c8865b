package dev.cloudref.starter.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
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
	void providesALoadBalancedWebClientBuilder() {
		runner.run(context -> {
			assertThat(context).hasNotFailed().hasSingleBean(WebClient.Builder.class);
			assertThat(context).hasBean("loadBalancedWebClientBuilder");
			assertThat(context.getBeanFactory().findAnnotationOnBean("loadBalancedWebClientBuilder", LoadBalanced.class))
				.isNotNull();
		});
	}

	@Test
	void usesDefaultTimeoutsWhenNoneAreConfigured() {
		runner.run(context -> {
			ServiceClientProperties properties = context.getBean(ServiceClientProperties.class);
			assertThat(properties.connectTimeout()).isEqualTo(Duration.ofMillis(500));
			assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void bindsTimeoutsFromCloudrefClientProperties() {
		runner.withPropertyValues("cloudref.client.connect-timeout=250ms", "cloudref.client.response-timeout=3s")
			.run(context -> {
				ServiceClientProperties properties = context.getBean(ServiceClientProperties.class);
				assertThat(properties.connectTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void failsAResponseThatDoesNotArriveWithinTheResponseTimeout() throws Exception {
		// The kernel accepts the connection into the backlog; nobody ever answers.
		try (ServerSocket silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			runner.withPropertyValues("cloudref.client.response-timeout=200ms").run(context -> {
				WebClient client = context.getBean(WebClient.Builder.class)
					.baseUrl("http://127.0.0.1:" + silentServer.getLocalPort())
					.build();
				assertThatThrownBy(() -> client.get().uri("/").retrieve().toBodilessEntity().block(Duration.ofSeconds(30)))
					.isInstanceOf(WebClientRequestException.class)
					.hasRootCauseInstanceOf(ReadTimeoutException.class);
			});
		}
	}

	@Test
	void givesHttpServiceGroupsTheSameResponseTimeout() throws Exception {
		try (ServerSocket silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			runner
				.withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
						ReactiveHttpClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class))
				.withUserConfiguration(ThingsGroup.class)
				.withPropertyValues("cloudref.client.response-timeout=200ms",
						"spring.http.serviceclient.things.base-url=http://127.0.0.1:" + silentServer.getLocalPort())
				.run(context -> {
					ThingsApi things = context.getBean(ThingsApi.class);
					assertThatThrownBy(() -> things.get().block(Duration.ofSeconds(30)))
						.isInstanceOf(WebClientRequestException.class)
						.hasRootCauseInstanceOf(ReadTimeoutException.class);
				});
		}
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnBuilder() {
		runner.withUserConfiguration(OwnBuilder.class).run(context -> {
			assertThat(context).hasSingleBean(WebClient.Builder.class);
			assertThat(context.getBean(WebClient.Builder.class)).isSameAs(OwnBuilder.BUILDER);
		});
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

	@Configuration(proxyBeanMethods = false)
	static class OwnBuilder {

		static final WebClient.Builder BUILDER = WebClient.builder();

		@Bean
		WebClient.Builder loadBalancedWebClientBuilder() {
			return BUILDER;
		}

	}

}
