package dev.cloudref.gateway.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.discovery.event.ParentHeartbeatEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Rebuilds the gateway's routes after a registry fetch only when the registered services
 * or their metadata changed, which is all the discovery locator makes routes from. It
 * stands in for Spring Cloud Gateway's {@code RouteRefreshListener}, which rebuilds every
 * route at every fetch (every 2 s here; docs/benchmarks.md, "Gateway CPU per request").
 */
final class DiscoveredRoutesRefresh implements ApplicationListener<ApplicationEvent> {

	private final DiscoveryClient discovery;

	private final ApplicationEventPublisher publisher;

	/** Service id → the distinct metadata of its instances, at the last refresh. */
	private Map<String, Set<Map<String, String>>> lastSeen;

	DiscoveredRoutesRefresh(DiscoveryClient discovery, ApplicationEventPublisher publisher) {
		this.discovery = discovery;
		this.publisher = publisher;
	}

	/**
	 * Refreshes at start-up, after a configuration refresh and at this instance's
	 * registration, as Spring Cloud Gateway's listener does; after a registry fetch
	 * ({@link HeartbeatEvent}) only if what the fetch returned differs from the last
	 * refresh.
	 * @param event any application event; others are ignored
	 */
	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ContextRefreshedEvent refreshed
				&& !WebServerApplicationContext.hasServerNamespace(refreshed.getApplicationContext(), "management")) {
			refresh(registry());
		}
		else if (event instanceof RefreshScopeRefreshedEvent || event instanceof InstanceRegisteredEvent<?>) {
			refresh(registry());
		}
		else if (event instanceof HeartbeatEvent || event instanceof ParentHeartbeatEvent) {
			Map<String, Set<Map<String, String>>> now = registry();
			if (!now.equals(lastSeen())) {
				refresh(now);
			}
		}
	}

	private synchronized Map<String, Set<Map<String, String>>> lastSeen() {
		return this.lastSeen;
	}

	private void refresh(Map<String, Set<Map<String, String>>> registry) {
		synchronized (this) {
			this.lastSeen = registry;
		}
		this.publisher.publishEvent(new RefreshRoutesEvent(this));
	}

	private Map<String, Set<Map<String, String>>> registry() {
		Map<String, Set<Map<String, String>>> services = new TreeMap<>();
		for (String serviceId : this.discovery.getServices()) {
			Set<Map<String, String>> metadata = new HashSet<>();
			for (ServiceInstance instance : this.discovery.getInstances(serviceId)) {
				// A copy that allows what a registry may hold: no map, or null values.
				metadata.add((instance.getMetadata() != null) ? new HashMap<>(instance.getMetadata()) : Map.of());
			}
			services.put(serviceId, metadata);
		}
		return services;
	}

}
