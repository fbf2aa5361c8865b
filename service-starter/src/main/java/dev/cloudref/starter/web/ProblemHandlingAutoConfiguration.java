package dev.cloudref.starter.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * The problem-detail writer and the last-resort error handler that the gateway and every
 * service share, in any reactive web application.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
public class ProblemHandlingAutoConfiguration {

	/**
	 * Writes problem details as responses, for web filters and the error handler.
	 * @param codecs the application's codecs
	 * @return the writer
	 */
	@Bean
	@ConditionalOnMissingBean
	public ProblemResponses problemResponses(ServerCodecConfigurer codecs) {
		return new ProblemResponses(codecs);
	}

	/**
	 * Writes every error that no handler method answered as a problem detail.
	 * @param problems the writer
	 * @param mappers the application's own mappings, in order
	 * @return the handler
	 */
	@Bean
	@ConditionalOnMissingBean
	public ProblemErrorWebExceptionHandler problemErrorWebExceptionHandler(ProblemResponses problems,
			ObjectProvider<ProblemMapper> mappers) {
		return new ProblemErrorWebExceptionHandler(problems, mappers);
	}

}
