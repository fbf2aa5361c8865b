package dev.cloudref.starter.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes every Spring Cloud LoadBalancer client of the application (the services'
 * load-balanced WebClients, the gateway's {@code lb://} routes) choose among instances
 * that answer their readiness probe and are not ejected as outliers, with a panic
 * threshold, as configured by {@link HealthCheckedInstancesConfiguration}.
 *
 * <p>Switched off with {@code cloudref.loadbalancer.health-check.enabled=false}; the
 * probe's timeouts and the panic threshold are {@link HealthCheckProbeProperties},
 * outlier detection is {@link OutlierDetectionProperties}, the probe's path and interval
 * Spring Cloud's own {@code spring.cloud.loadbalancer.health-check.*} properties.
 */
@AutoConfiguration
@ConditionalOnClass({ ServiceInstanceListSupplier.class, WebClient.class })
@ConditionalOnProperty(name = "cloudref.loadbalancer.health-check.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ HealthCheckProbeProperties.class, OutlierDetectionProperties.class })
@LoadBalancerClients(defaultConfiguration = HealthCheckedInstancesConfiguration.class)
public class HealthCheckedInstancesAutoConfiguration {

	/**
	 * @param probe the probes' timeouts
	 * @return the probes' client, shared by every LoadBalancer client of the application
	 */
	@Bean
	LoadBalancerProbes loadBalancerProbes(HealthCheckProbeProperties probe) {
		return new LoadBalancerProbes(probe);
	}

}
