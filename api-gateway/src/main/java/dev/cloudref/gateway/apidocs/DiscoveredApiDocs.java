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
 * Routes {@code GET /v3/api-docs/<service>} to every discovered service whose instances
 * register {@value #PUBLIC_PATH} metadata, and lists its OpenAPI document in the Swagger
 * UI; re-read on every route refresh, so services come and go without a restart.
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
		// A GET, so a retry on another instance is safe (the filter's defaults: GET
		// only).
		route
			.setFilters(List.of(new FilterDefinition("SetPath=" + DOCS_PATH), new FilterDefinition("BudgetedRetry=3")));
		return route;
	}

}
