package dev.cloudref.starter.data;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * Makes Spring Data (R2DBC or JDBC) emit unquoted table and column names, so the same
 * mapping and Flyway migrations work on H2 and PostgreSQL. Off with
 * {@code cloudref.data.unquoted-identifiers=false}.
 */
@AutoConfiguration
@ConditionalOnClass(RelationalMappingContext.class)
@ConditionalOnProperty(name = "cloudref.data.unquoted-identifiers", matchIfMissing = true)
public class UnquotedIdentifiersAutoConfiguration {

	/**
	 * Turns off forced quoting on every {@link RelationalMappingContext} before it
	 * initialises its entities.
	 * @return the post-processor
	 */
	@Bean
	public static BeanPostProcessor unquotedIdentifiersPostProcessor() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof RelationalMappingContext context) {
					context.setForceQuote(false);
				}
				return bean;
			}
		};
	}

}
