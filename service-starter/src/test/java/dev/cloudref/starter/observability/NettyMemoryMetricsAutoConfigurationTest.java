package dev.cloudref.starter.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NettyMemoryMetricsAutoConfigurationTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NettyMemoryMetricsAutoConfiguration.class));

	@Test
	void publishesTheDirectMemoryHeldByNettysDefaultAllocator() {
		context.run(app -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			app.getBean(MeterBinder.class).bindTo(registry);
			Gauge direct = registry.find("netty.allocator.memory.used").tag("memory.type", "direct").gauge();
			assertThat(direct).as("netty.allocator.memory.used{memory.type=direct}").isNotNull();
			double before = direct.value();
			ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(4 << 20);
			try {
				buffer.writeZero(4 << 20);
				assertThat(direct.value()).as("bytes after taking a 4 MiB buffer")
					.isGreaterThanOrEqualTo(before + (4 << 20));
			}
			finally {
				buffer.release();
			}
		});
	}

}
