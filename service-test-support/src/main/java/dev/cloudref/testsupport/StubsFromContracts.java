package dev.cloudref.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the service that Stub Runner plays in an {@link AbstractConsumerContractTest},
 * from its contracts ({@code ../contracts/<service>/}) rather than a stubs jar. Read by
 * {@link StubsFromContractsCustomizerFactory}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface StubsFromContracts {

	/**
	 * @return the provider's name, e.g. {@code user-service} (artifact
	 * {@code dev.cloudref:<name>})
	 */
	String value();

}
