package dev.cloudref.starter.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Registers {@link ApiExceptionHandler} in reactive web applications unless the
 * application declares its own {@link ResponseEntityExceptionHandler}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
public class ProblemDetailsAutoConfiguration {

	/**
	 * The problem-detail exception handler.
	 * @return the handler
	 */
	@Bean
	@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
	public ApiExceptionHandler apiExceptionHandler() {
		return new ApiExceptionHandler();
	}

}
