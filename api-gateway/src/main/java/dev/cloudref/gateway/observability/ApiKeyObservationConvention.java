package dev.cloudref.gateway.observability;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import dev.cloudref.gateway.security.ApiKeyAuthenticationFilter;

import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Adds the API key id to the gateway's HTTP server observations, so that the
 * {@code http.server.requests} metric (Prometheus {@code http_server_requests_seconds_*})
 * can be split by client: tag {@value #KEY_ID_TAG} is the configured key id, or
 * {@value #NO_KEY} when the request carried no valid key. Only ids are used, never keys;
 * their number is bounded by configuration, so the tag's cardinality is too.
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
