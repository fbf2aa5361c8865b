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
 * Makes every LoadBalancer client choose among instances that pass their readiness probe
 * and are not ejected as outliers ({@link HealthCheckedInstancesConfiguration}). Off with
 * {@code cloudref.loadbalancer.health-check.enabled=false}.
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
