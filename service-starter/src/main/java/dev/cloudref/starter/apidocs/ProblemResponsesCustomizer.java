package dev.cloudref.starter.apidocs;

import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.http.HttpHeaders;

/**
 * Declares every 4xx and 5xx response of a service's OpenAPI document as an RFC 9457
 * problem detail ({@link ProblemDetailDocument}), with {@code Retry-After} on 503 and 429
 * and {@code Location} on 201, and adds the gateway's own 401 and 429 to every operation.
 */
public class ProblemResponsesCustomizer implements OpenApiCustomizer {

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null) {
			openApi.setComponents(new Components());
		}
		problemSchemas(openApi.getSpecVersion()).forEach(openApi.getComponents()::addSchemas);
		if (openApi.getPaths() != null) {
			openApi.getPaths()
				.values()
				.stream()
				.flatMap(path -> path.readOperations().stream())
				.forEach(operation -> operation.setResponses(describeErrors(operation.getResponses())));
		}
	}

	/**
	 * @return the responses with the gateway's added, all in the order of their status
	 * codes
	 */
	private static ApiResponses describeErrors(ApiResponses declared) {
		ApiResponses responses = new ApiResponses();
		if (declared != null) {
			responses.putAll(declared);
		}
		responses.putIfAbsent("401", new ApiResponse()
			.description("Missing or unknown API key, or an invalid bearer token (from the gateway)"));
		responses.putIfAbsent("429", new ApiResponse()
			.description("The caller (API key or OAuth client) is over its rate limit (from the gateway)"));
		responses.forEach((status, response) -> {
			if (isError(status)) {
				response.setContent(problemContent());
			}
			if (status.equals("201")
					&& (response.getHeaders() == null || !response.getHeaders().containsKey(HttpHeaders.LOCATION))) {
				response.addHeaderObject(HttpHeaders.LOCATION,
						new Header()
							.description("The new resource's path, a relative reference (RFC 9110, section 10.2.2)")
							.schema(new StringSchema().format("uri-reference")));
			}
			if (status.equals("503") || status.equals("429")) {
				response.addHeaderObject(HttpHeaders.RETRY_AFTER,
						new Header().description("Seconds to wait before retrying").schema(new IntegerSchema()));
			}
		});
		return sorted(responses);
	}

	private static ApiResponses sorted(ApiResponses responses) {
		ApiResponses sorted = new ApiResponses();
		new TreeMap<>(responses).forEach(sorted::addApiResponse);
		return sorted;
	}

	/**
	 * @param status a response key of an operation: a status code, {@code 4XX} or
	 * {@code default}
	 * @return whether it stands for a 4xx or 5xx status
	 */
	static boolean isError(String status) {
		return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
	}

	private static Content problemContent() {
		Schema<?> problem = new Schema<>().$ref("#/components/schemas/" + ProblemDetailDocument.SCHEMA_NAME);
		return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(problem));
	}

	@SuppressWarnings("rawtypes")
	private static Map<String, Schema> problemSchemas(SpecVersion version) {
		return ModelConverters.getInstance(version == SpecVersion.V31)
			.readAll(new AnnotatedType(ProblemDetailDocument.class));
	}

}
