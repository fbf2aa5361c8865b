package dev.cloudref.starter.apidocs;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProblemResponsesCustomizer} on a document as springdoc hands it over: error
 * responses that carry the operation's success body.
 */
class ProblemResponsesCustomizerTest {

	private final ProblemResponsesCustomizer customizer = new ProblemResponsesCustomizer();

	@Test
	void turnsEveryErrorResponseIntoAProblemDetailAndLeavesSuccessAlone() {
		OpenAPI openApi = document(new ApiResponses().addApiResponse("200", json("OK"))
			.addApiResponse("404", json("No user has this id"))
			.addApiResponse("503", json("Database down")));

		customizer.customise(openApi);

		ApiResponses responses = responses(openApi);
		assertThat(responses.get("200").getContent()).containsOnlyKeys("application/json");
		for (String status : new String[] { "404", "503" }) {
			Content content = responses.get(status).getContent();
			assertThat(content).as(status).containsOnlyKeys("application/problem+json");
			assertThat(content.get("application/problem+json").getSchema().get$ref())
				.isEqualTo("#/components/schemas/ProblemDetail");
		}
		assertThat(responses.get("404").getDescription()).isEqualTo("No user has this id");
		assertThat(openApi.getComponents().getSchemas()).containsKeys("ProblemDetail", "InvalidValue");
	}

	@Test
	void addsTheGatewaysAnswersInStatusOrderWithoutReplacingDeclaredOnes() {
		OpenAPI openApi = document(new ApiResponses().addApiResponse("503", json("Database down"))
			.addApiResponse("200", json("OK"))
			.addApiResponse("429", json("Declared here")));

		customizer.customise(openApi);

		ApiResponses responses = responses(openApi);
		assertThat(responses.keySet()).containsExactly("200", "401", "429", "503");
		assertThat(responses.get("429").getDescription()).isEqualTo("Declared here");
		assertThat(responses.get("401").getContent()).containsOnlyKeys("application/problem+json");
	}

	@Test
	void givesServiceUnavailableAndTooManyRequestsARetryAfterHeader() {
		OpenAPI openApi = document(new ApiResponses().addApiResponse("200", json("OK"))
			.addApiResponse("404", json("Not found"))
			.addApiResponse("503", json("Database down")));

		customizer.customise(openApi);

		ApiResponses responses = responses(openApi);
		assertThat(responses.get("503").getHeaders()).containsOnlyKeys("Retry-After");
		assertThat(responses.get("429").getHeaders()).containsOnlyKeys("Retry-After");
		assertThat(responses.get("404").getHeaders()).isNull();
	}

	@Test
	void tellsErrorStatusesFromOthers() {
		assertThat(ProblemResponsesCustomizer.isError("400")).isTrue();
		assertThat(ProblemResponsesCustomizer.isError("5XX")).isTrue();
		assertThat(ProblemResponsesCustomizer.isError("201")).isFalse();
		assertThat(ProblemResponsesCustomizer.isError("default")).isFalse();
	}

	private static OpenAPI document(ApiResponses responses) {
		Operation operation = new Operation().operationId("getUser").responses(responses);
		return new OpenAPI(SpecVersion.V31)
			.paths(new Paths().addPathItem("/users/{id}", new PathItem().get(operation)));
	}

	private static ApiResponses responses(OpenAPI openApi) {
		return openApi.getPaths().get("/users/{id}").getGet().getResponses();
	}

	private static ApiResponse json(String description) {
		Schema<?> user = new Schema<>().$ref("#/components/schemas/User");
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/json", new MediaType().schema(user)));
	}

}
