package dev.cloudref.starter.observability;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Publishes the memory held by Netty's default buffer allocator, which the JVM's heap and
 * buffer-pool metrics do not show: {@code netty.allocator.memory.used} and
 * {@code netty.allocator.memory.pinned}, in bytes.
 */
@AutoConfiguration
@ConditionalOnClass({ ByteBufAllocator.class, NettyAllocatorMetrics.class, MeterBinder.class })
public class NettyMemoryMetricsAutoConfiguration {

	/**
	 * @return a binder of Micrometer's {@link NettyAllocatorMetrics} for
	 * {@link ByteBufAllocator#DEFAULT}; binds nothing if that allocator has no metrics
	 */
	@Bean
	public MeterBinder nettyAllocatorMetrics() {
		return registry -> {
			if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
				new NettyAllocatorMetrics(allocator).bindTo(registry);
			}
		};
	}

}
