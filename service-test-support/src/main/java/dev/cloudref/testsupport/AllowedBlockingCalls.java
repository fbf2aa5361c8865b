package dev.cloudref.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls BlockHound allows on non-blocking threads in the services' tests:
 * library methods whose blocking is known, short and unavoidable. Found through
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class AllowedBlockingCalls implements BlockHoundIntegration {

	/**
	 * Allow a call here only after looking at its stack trace: never a method of the
	 * services' own code, never a whole package.
	 */
	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder
			// UUID.randomUUID() reads /dev/urandom through SecureRandom (NativePRNG),
			// which BlockHound sees as a file read. On Linux /dev/urandom never waits for
			// entropy: the read is a short system call, not I/O that can stall the event
			// loop (reactor/BlockHound#157). The services' ids and idempotency tokens are
			// random UUIDs made where a request is handled.
			.allowBlockingCallsInside("java.util.UUID", "randomUUID")
			// Hibernate Validator reads its message bundle (ValidationMessages.properties
			// in its jar) at the first constraint violation in a locale; the JDK's
			// ResourceBundle cache serves it from then on.
			.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
					"getResourceBundle")
			// springdoc builds the OpenAPI document once, at the first request for it,
			// and then serves it from its cache; the build scans the class path (reads
			// class files) for @OpenAPIDefinition and for @Webhooks classes.
			.allowBlockingCallsInside("org.springdoc.core.service.OpenAPIService", "build")
			.allowBlockingCallsInside("org.springdoc.core.service.OpenAPIService", "getWebhooksClasses");
	}

}
