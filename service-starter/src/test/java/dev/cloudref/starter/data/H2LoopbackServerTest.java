package dev.cloudref.starter.data;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class H2LoopbackServerTest {

	private String saved;

	@BeforeEach
	void clear() {
		saved = System.clearProperty(H2LoopbackServer.H2_BIND_ADDRESS);
	}

	@AfterEach
	void restore() {
		if (saved == null) {
			System.clearProperty(H2LoopbackServer.H2_BIND_ADDRESS);
		}
		else {
			System.setProperty(H2LoopbackServer.H2_BIND_ADDRESS, saved);
		}
	}

	@Test
	void bindsH2sServerToLoopbackByDefault() {
		process(new MockEnvironment());

		assertThat(System.getProperty(H2LoopbackServer.H2_BIND_ADDRESS)).isEqualTo("127.0.0.1");
	}

	@Test
	void takesTheAddressFromTheConfiguration() {
		process(new MockEnvironment().withProperty("cloudref.h2.bind-address", "::1"));

		assertThat(System.getProperty(H2LoopbackServer.H2_BIND_ADDRESS)).isEqualTo("::1");
	}

	@Test
	void leavesAnAddressGivenOnTheCommandLineAlone() {
		System.setProperty(H2LoopbackServer.H2_BIND_ADDRESS, "10.1.2.3");

		process(new MockEnvironment());

		assertThat(System.getProperty(H2LoopbackServer.H2_BIND_ADDRESS)).isEqualTo("10.1.2.3");
	}

	private static void process(MockEnvironment environment) {
		new H2LoopbackServer().postProcessEnvironment(environment, new SpringApplication());
	}

}
