package dev.cloudref.starter.apidocs;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The OpenAPI schema of every error response: an RFC 9457 problem detail as
 * {@link org.springframework.http.ProblemDetail} writes it, with the {@code errors}
 * member of validation failures. For the documents only; never instantiated.
 *
 * @param type URI reference that identifies the problem type
 * @param title short summary of the problem type
 * @param status the HTTP status code
 * @param detail explanation specific to this occurrence
 * @param instance URI reference of the request that failed
 * @param errors for 400 validation failures: each rejected value
 */
@Schema(name = ProblemDetailDocument.SCHEMA_NAME,
		description = "RFC 9457 problem details (application/problem+json). Further members may appear.",
		additionalProperties = AdditionalPropertiesValue.TRUE)
record ProblemDetailDocument(
		@Schema(format = "uri-reference", defaultValue = "about:blank",
				description = "URI reference that identifies the problem type") String type,
		@Schema(description = "Short, human-readable summary of the problem type", example = "Not Found") String title,
		@Schema(requiredMode = RequiredMode.REQUIRED, minimum = "400", maximum = "599",
				description = "The HTTP status code", example = "404") int status,
		@Schema(description = "Explanation specific to this occurrence") String detail,
		@Schema(format = "uri-reference", description = "URI reference of the request that failed") String instance,
		@Schema(description = "Only on 400 validation failures: each rejected value") List<InvalidValue> errors) {

	/** Name of the schema in {@code components.schemas}. */
	static final String SCHEMA_NAME = "ProblemDetail";

	/**
	 * One rejected value of a request that failed validation.
	 *
	 * @param field the body field, for a request body
	 * @param parameter the query, path or header parameter, otherwise
	 * @param message what is wrong with it
	 */
	@Schema(name = "InvalidValue", description = "One rejected value: a body field or a parameter")
	record InvalidValue(@Schema(description = "Name of the rejected body field", example = "email") String field,
			@Schema(description = "Name of the rejected query, path or header parameter") String parameter,
			@Schema(requiredMode = RequiredMode.REQUIRED,
					example = "must be a well-formed email address") String message) {
	}

}
