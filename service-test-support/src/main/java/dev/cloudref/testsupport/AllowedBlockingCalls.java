package dev.cloudref.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls that BlockHound lets the services make on non-blocking threads
 * (event loops, Reactor's parallel scheduler) in their tests: each is a library method,
 * allowed by name, whose blocking is known, short and cannot be avoided by the
 * service. Everything else blocking on such a thread fails the test, so a blocking call
 * added to a service's own code ({@code dev.cloudref}) is found by its tests.
 * <p>
 * BlockHound finds this class through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}) when
 * the {@code blockhound-junit-platform} test dependency installs it at the start of the
 * tests. Allow a call here only after looking at its stack trace: never a method of the
 * services' own code, never a whole package.
 */
public final class AllowedBlockingCalls implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder
			// UUID.randomUUID() reads /dev/urandom through SecureRandom (NativePRNG), which
			// BlockHound sees as a file read. On Linux /dev/urandom never waits for entropy:
			// the read is a short system call, not I/O that can stall the event loop
			// (reactor/BlockHound#157). The services' ids and idempotency tokens are
			// random UUIDs made where a request is handled.
			.allowBlockingCallsInside("java.util.UUID", "randomUUID")
			// Hibernate Validator reads its message bundle (ValidationMessages.properties
			// in its jar) at the first constraint violation in a locale; the JDK's
			// ResourceBundle cache serves it from then on.
			.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
					"getResourceBundle")
			// springdoc builds the OpenAPI document once, at the first request for it, and
			// then serves it from its cache; the build scans the class path (reads class
			// files) for @OpenAPIDefinition and for @Webhooks classes.
			.allowBlockingCallsInside("org.springdoc.core.service.OpenAPIService", "build")
			.allowBlockingCallsInside("org.springdoc.core.service.OpenAPIService", "getWebhooksClasses");
	}

}
