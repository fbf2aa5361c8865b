package dev.cloudref.gateway.observability;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import dev.cloudref.gateway.security.ApiKeyAuthenticationFilter;

import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Tags the gateway's {@code http.server.requests} observations with the API key id
 * ({@value #KEY_ID_TAG}, or {@value #NO_KEY}) so metrics can be split by client; ids come
 * from configuration, so the tag's cardinality is bounded.
 */
@Component
public class ApiKeyObservationConvention extends DefaultServerRequestObservationConvention {

	/** Name of the tag (Prometheus label {@code api_key_id}). */
	public static final String KEY_ID_TAG = "api.key.id";

	/** Tag value of requests without a valid key. */
	public static final String NO_KEY = "none";

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		Object keyId = context.getAttributes().get(ApiKeyAuthenticationFilter.KEY_ID_ATTRIBUTE);
		return super.getLowCardinalityKeyValues(context)
			.and(KeyValue.of(KEY_ID_TAG, (keyId instanceof String id) ? id : NO_KEY));
	}

}
