package dev.cloudref.starter.data;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Binds the TCP server that H2 starts for {@code AUTO_SERVER=TRUE} to loopback
 * ({@code 127.0.0.1}) instead of every interface.
 *
 * <p>In {@code AUTO_SERVER} mode the first process to open a database file serves it to
 * the others over TCP, and H2 starts that server with {@code -tcpAllowOthers} on all
 * interfaces: anyone on the network who reads the lock file's key could open the demo
 * database as {@code sa}. H2's only knob for the address is the JVM system property
 * {@code h2.bindAddress}, read once when H2's classes load, so this sets it before the
 * application context (and with it any H2 class) is created. The instances that share
 * a file run on one machine, so loopback is all they need.
 *
 * <p>The address is {@code cloudref.h2.bind-address} (default {@code 127.0.0.1}); an
 * {@code h2.bindAddress} given on the command line wins. Nothing happens without H2 on
 * the classpath. Registered in {@code META-INF/spring.factories}.
 */
public class H2LoopbackServer implements EnvironmentPostProcessor, Ordered {

	static final String H2_BIND_ADDRESS = "h2.bindAddress";

	/**
	 * @param environment the application's environment, after its configuration files
	 * are read (for {@code cloudref.h2.bind-address})
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
