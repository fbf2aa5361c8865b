package dev.cloudref.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTest {

	@Test
	void defaults() {
		Options options = Options.parse(List.of(), Map.of());

		assertThat(options).isEqualTo(new Options("start", "auto", 2, 1, false, false, Duration.ofSeconds(180), false));
	}

	@Test
	void optionsAndEnvironment() {
		Options options = Options.parse(List.of("--no-build", "--instances", "3", "--eureka-peers=2", "--zipkin"),
				Map.of("POSTGRES", "1", "STARTUP_TIMEOUT", "60"));

		assertThat(options).isEqualTo(new Options("start", "never", 3, 2, true, true, Duration.ofSeconds(60), false));
		assertThat(Options.parse(List.of("status"), Map.of()).command()).isEqualTo("status");
	}

	@Test
	void badInputIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--instances", "10"), Map.of()))
			.withMessage("--instances must be a number from 1 to 9, got 10");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--instances"), Map.of()))
			.withMessage("--instances needs a number");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--build", "--no-build"), Map.of()))
			.withMessage("--build and --no-build are mutually exclusive");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--frobnicate"), Map.of()))
			.withMessageContaining("unknown argument: --frobnicate");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of(), Map.of("ZIPKIN", "maybe")))
			.withMessageContaining("ZIPKIN must be 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Options.parse(List.of(), Map.of("EUREKA_PEERS_COUNT", "3")))
			.withMessageContaining("must be 1 or 2, got 3");
	}

}
