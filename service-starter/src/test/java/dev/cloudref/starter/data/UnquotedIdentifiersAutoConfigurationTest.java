package dev.cloudref.starter.data;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.r2dbc.mapping.R2dbcMappingContext;

import static org.assertj.core.api.Assertions.assertThat;

class UnquotedIdentifiersAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UnquotedIdentifiersAutoConfiguration.class))
		.withUserConfiguration(MappingContextConfiguration.class);

	@Test
	void turnsOffForcedQuotingOfTheR2dbcMappingContext() {
		runner.run(context -> assertThat(context.getBean(R2dbcMappingContext.class).isForceQuote()).isFalse());
	}

	@Test
	void leavesQuotingAloneWhenSwitchedOff() {
		runner.withPropertyValues("cloudref.data.unquoted-identifiers=false")
			.run(context -> assertThat(context.getBean(R2dbcMappingContext.class).isForceQuote()).isTrue());
	}

	@Configuration(proxyBeanMethods = false)
	static class MappingContextConfiguration {

		@Bean
		R2dbcMappingContext r2dbcMappingContext() {
			// Spring Data's default: quoted, case-sensitive identifiers.
			return R2dbcMappingContext.forQuotedIdentifiers();
		}

	}

}
