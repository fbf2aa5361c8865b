package dev.cloudref.starter.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes every Spring Cloud LoadBalancer client of the application (the services'
 * {@code @LoadBalanced} WebClient, the gateway's {@code lb://} routes) choose only among
 * instances that answer their readiness probe, as configured by
 * {@link HealthCheckedInstancesConfiguration}.
 *
 * <p>Switched off with {@code cloudref.loadbalancer.health-check.enabled=false}; the
 * probe's timeouts are {@link HealthCheckProbeProperties}, its path and interval Spring
 * Cloud's own {@code spring.cloud.loadbalancer.health-check.*} properties.
 */
@AutoConfiguration
@ConditionalOnClass({ ServiceInstanceListSupplier.class, WebClient.class })
@ConditionalOnProperty(name = "cloudref.loadbalancer.health-check.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HealthCheckProbeProperties.class)
@LoadBalancerClients(defaultConfiguration = HealthCheckedInstancesConfiguration.class)
public class HealthCheckedInstancesAutoConfiguration {

}
