package dev.cloudref.starter.data;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Binds the TCP server that H2 starts for {@code AUTO_SERVER=TRUE} to loopback
 * ({@code cloudref.h2.bind-address}, default {@code 127.0.0.1}), so no one on the network
 * can open the database as {@code sa}. Registered in {@code META-INF/spring.factories}.
 */
public class H2LoopbackServer implements EnvironmentPostProcessor, Ordered {

	static final String H2_BIND_ADDRESS = "h2.bindAddress";

	/**
	 * Must run before any H2 class loads: H2 reads {@code h2.bindAddress} once, when they
	 * do.
	 * @param environment the application's environment, after its configuration files are
	 * read (for {@code cloudref.h2.bind-address})
	 * @param application the application
	 */
	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent("org.h2.Driver", H2LoopbackServer.class.getClassLoader())
				|| System.getProperty(H2_BIND_ADDRESS) != null) {
			return;
		}
		System.setProperty(H2_BIND_ADDRESS, environment.getProperty("cloudref.h2.bind-address", "127.0.0.1"));
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
