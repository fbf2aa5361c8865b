package dev.cloudref.starter.data;

import io.r2dbc.spi.ConnectionFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;

/**
 * Runs blocking R2DBC drivers (by default H2) off the Netty event loops: see
 * {@link BlockingDriverOffload}. Configured by {@link BlockingDriverProperties}.
 */
@AutoConfiguration
@ConditionalOnClass({ ConnectionFactory.class, ConnectionFactoryDecorator.class })
@EnableConfigurationProperties(BlockingDriverProperties.class)
public class BlockingDriverOffloadAutoConfiguration {

	/**
	 * The threads that blocking drivers run on ({@code r2dbc-blocking-driver-N}); idle
	 * ones end after 60 s, and all of them when the application context closes.
	 * @param properties the thread cap
	 * @return a bounded elastic scheduler
	 */
	@Bean(destroyMethod = "dispose")
	public Scheduler blockingDriverScheduler(BlockingDriverProperties properties) {
		return Schedulers.newBoundedElastic(properties.threads(), Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE,
				"r2dbc-blocking-driver", 60, true);
	}

	/**
	 * The decorator that Spring Boot applies to the driver's connection factory, under
	 * the pool.
	 * @param properties which drivers block
	 * @param scheduler {@link #blockingDriverScheduler}
	 * @return the decorator; it leaves other drivers unchanged
	 */
	@Bean
	public BlockingDriverOffload blockingDriverOffload(BlockingDriverProperties properties,
			@Qualifier("blockingDriverScheduler") Scheduler scheduler) {
		return new BlockingDriverOffload(properties.names(), scheduler);
	}

}
