package dev.cloudref.starter.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Registers {@link ApiExceptionHandler} (unless the application has its own
 * {@link ResponseEntityExceptionHandler}) and {@link UnparsableAcceptFilter} in the
 * services' reactive web applications.
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

	/**
	 * Serves a request whose {@code Accept} header does not parse as if it had none, so
	 * that its errors still get their problem body.
	 * @return the filter
	 */
	@Bean
	@ConditionalOnMissingBean
	public UnparsableAcceptFilter unparsableAcceptFilter() {
		return new UnparsableAcceptFilter();
	}

}
