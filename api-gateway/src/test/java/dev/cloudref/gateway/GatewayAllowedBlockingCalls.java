package dev.cloudref.gateway;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls that BlockHound lets the gateway make on non-blocking threads (event
 * loops) in its tests: each is a library method, allowed by name, whose blocking is
 * known, short and happens once, not at every request. Everything else blocking on such a
 * thread fails the test, so a blocking call added to a filter or handler of the gateway
 * ({@code dev.cloudref.gateway}) is found by its tests.
 * <p>
 * BlockHound finds this class through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration} in the
 * test resources) when the {@code blockhound-junit-platform} test dependency installs it
 * at the start of the tests. (The services share theirs in service-test-support, which
 * the gateway does not use.) Allow a call here only after looking at its stack trace:
 * never a method of the gateway's own code, never a whole package.
 */
public final class GatewayAllowedBlockingCalls implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder
			// Spring Cloud LoadBalancer makes the child application context of a service
			// (reading class files) at its first request. user-service's and
			// order-service's are made at start (spring.cloud.loadbalancer.eager-load);
			// a service routed by the discovery locator is known only once it registers,
			// so its context is made at the first request routed to it, once.
			.allowBlockingCallsInside("org.springframework.cloud.context.named.NamedContextFactory", "createContext")
			// Swagger UI's files are served from the swagger-ui webjar by Spring's static
			// resource handling, which looks the file up in the jar on the calling
			// thread.
			.allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver", "getResource")
			// springdoc rewrites Swagger UI's swagger-initializer.js (its configuration)
			// as it serves it, reading the small file from the webjar at each page load.
			// A documentation page, not an API route.
			.allowBlockingCallsInside("org.springdoc.webflux.ui.SwaggerIndexPageTransformer", "transform");
	}

}
