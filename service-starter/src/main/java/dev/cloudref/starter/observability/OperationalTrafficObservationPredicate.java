package dev.cloudref.starter.observability;

import java.net.URI;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Leaves operational traffic out of observations, so traces and {@code http.*.requests}
 * metrics show client requests only: {@code /actuator/**}, {@code /readyz} and
 * {@code /livez} server requests, and {@code /eureka/**} client requests.
 */
public class OperationalTrafficObservationPredicate implements ObservationPredicate {

	/**
	 * Spring Boot's probes on the main port (LoadBalancer health checks call them every
	 * second).
	 */
	private static final Set<String> PROBE_PATHS = Set.of("/readyz", "/livez");

	@Override
	public boolean test(String name, Observation.Context context) {
		if (context instanceof ServerRequestObservationContext server) {
			String path = server.getCarrier().getPath().value();
			return !path.startsWith("/actuator") && !PROBE_PATHS.contains(path);
		}
		URI clientUri = clientUri(context);
		return clientUri == null || clientUri.getPath() == null || !clientUri.getPath().contains("/eureka/");
	}

	private static URI clientUri(Observation.Context context) {
		if (context instanceof org.springframework.http.client.observation.ClientRequestObservationContext blocking
				&& blocking.getCarrier() != null) {
			return blocking.getCarrier().getURI();
		}
		if (context instanceof org.springframework.web.reactive.function.client.ClientRequestObservationContext reactive
				&& reactive.getRequest() != null) {
			return reactive.getRequest().url();
		}
		return null;
	}

}
