package dev.cloudref.starter.web;

import java.net.URI;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code Location} header values of created resources.
 */
public final class Locations {

	private Locations() {
	}

	/**
	 * A relative reference (RFC 9110, section 10.2.2), e.g. {@code /orders/{id}}: the
	 * gateway prefixes it with its own path, so the service never needs to know it.
	 * @param pathTemplate the resource's path in this service, with {@code {name}}
	 * variables
	 * @param variables the variables' values, in order (each URI-encoded)
	 * @return the path with the variables expanded
	 */
	public static URI of(String pathTemplate, Object... variables) {
		return UriComponentsBuilder.fromPath(pathTemplate).buildAndExpand(variables).encode().toUri();
	}

}
