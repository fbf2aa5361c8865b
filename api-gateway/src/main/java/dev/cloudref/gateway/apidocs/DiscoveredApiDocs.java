package dev.cloudref.gateway.apidocs;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.stereotype.Component;

/**
 * Serves the OpenAPI document of every service that the discovery locator routes (those
 * whose instances register with the metadata entry {@value #PUBLIC_PATH}, e.g. services
 * made from service-archetype), as the explicit routes do for user-service and
 * order-service: {@code GET /v3/api-docs/<service>}, public, from any instance
 * ({@code lb://}), and lists it in the Swagger UI beside the configured
 * {@code springdoc.swagger-ui.urls}.
 *
 * <p>Its routes are re-read with every route refresh, which the gateway does when its
 * registry view changes (Spring Cloud Gateway's {@code RouteRefreshListener}); the UI
 * builds its configuration from {@link SwaggerUiConfigProperties} on every request, so a
 * new service shows up without a restart, and one that is gone leaves the list.
 */
@Component
class DiscoveredApiDocs implements RouteDefinitionLocator {

	/** The registration metadata key that asks the gateway for a public route. */
	static final String PUBLIC_PATH = "public-path";

	private static final String DOCS_PATH = "/v3/api-docs";

	private final ReactiveDiscoveryClient discovery;

	private final SwaggerUiConfigProperties swaggerUi;

	private final Set<SwaggerUrl> configuredUrls;

	DiscoveredApiDocs(ReactiveDiscoveryClient discovery, SwaggerUiConfigProperties swaggerUi) {
		this.discovery = discovery;
		this.swaggerUi = swaggerUi;
		this.configuredUrls = (swaggerUi.getUrls() != null) ? Set.copyOf(swaggerUi.getUrls()) : Set.of();
	}

	/**
	 * @return one route per service with a {@value #PUBLIC_PATH}, id
	 * {@code <service>-api-docs}; as a side effect, the Swagger UI's list becomes the
	 * configured documents followed by these, sorted by service name
	 */
	@Override
	public Flux<RouteDefinition> getRouteDefinitions() {
		return discovery.getServices()
			.filterWhen(service -> discovery.getInstances(service)
				.any(instance -> instance.getMetadata().containsKey(PUBLIC_PATH)))
			.map(service -> service.toLowerCase(Locale.ROOT))
			.distinct()
			.collectSortedList()
			.doOnNext(this::listInSwaggerUi)
			.flatMapIterable(services -> services)
			.map(DiscoveredApiDocs::documentRoute);
	}

	private void listInSwaggerUi(List<String> services) {
		Set<SwaggerUrl> urls = new LinkedHashSet<>(configuredUrls);
		services.forEach(service -> urls.add(new SwaggerUrl(service, DOCS_PATH + "/" + service, service)));
		swaggerUi.setUrls(urls);
	}

	private static RouteDefinition documentRoute(String service) {
		RouteDefinition route = new RouteDefinition();
		route.setId(service + "-api-docs");
		route.setUri(URI.create("lb://" + service));
		route.setPredicates(List.of(new PredicateDefinition("Path=" + DOCS_PATH + "/" + service),
				new PredicateDefinition("Method=GET")));
		// A GET, so a retry on another instance is safe (the filter's defaults: GET only).
		route.setFilters(List.of(new FilterDefinition("SetPath=" + DOCS_PATH), new FilterDefinition("BudgetedRetry=3")));
		return route;
	}

}
