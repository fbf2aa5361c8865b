package dev.cloudref.starter.apidocs;

import java.util.List;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;

import dev.cloudref.starter.security.ResourceServerProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Makes a service's springdoc OpenAPI 3.1 document describe the API as clients call it
 * through the api-gateway: the gateway's server URL ({@link ApiDocsProperties}), its API
 * key and bearer token schemes, and problem-detail error responses
 * ({@link ProblemResponsesCustomizer}).
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnProperty(name = { "springdoc.api-docs.enabled", "springdoc.enable-default-api-docs" },
		matchIfMissing = true)
@EnableConfigurationProperties(ApiDocsProperties.class)
public class ApiDocsAutoConfiguration {

	/** Name of the API key security scheme in {@code components.securitySchemes}. */
	public static final String API_KEY_SCHEME = "apiKey";

	/**
	 * Name of the bearer token security scheme in {@code components.securitySchemes}: an
	 * OAuth 2 access token (JWT) from the authorization server, the alternative to the
	 * API key.
	 */
	public static final String BEARER_SCHEME = "bearerToken";

	/**
	 * Name of the OAuth 2 security scheme in {@code components.securitySchemes}: the
	 * authorization code grant (with PKCE in Swagger UI) through the gateway, for a
	 * person who logs in.
	 */
	public static final String OAUTH2_SCHEME = "oauth2";

	/**
	 * The document's fixed parts: gateway server, and security by API key, bearer token
	 * or OAuth 2 login (any one: three alternative security requirements). springdoc adds
	 * paths and schemas from the controllers.
	 * @param properties server URL, API key header, OAuth 2 endpoints
	 * @param resourceServer the service's scopes, if it is a resource server
	 * @return the base document
	 */
	@Bean
	@ConditionalOnMissingBean
	public OpenAPI gatewayOpenApi(ApiDocsProperties properties,
			ObjectProvider<ResourceServerProperties> resourceServer) {
		SecurityScheme apiKey = new SecurityScheme().type(SecurityScheme.Type.APIKEY)
			.in(SecurityScheme.In.HEADER)
			.name(properties.apiKeyHeader())
			.description("The API key the gateway checks on every /api request (401 problem without a valid one).");
		SecurityScheme bearer = new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("An OAuth 2 access token from the gateway's /oauth2/token (client_credentials) "
					+ "with the scope of the route, e.g. users:read; the gateway checks it (401 problem "
					+ "invalid_token, 403 problem insufficient_scope).");
		// The scopes this service's requests need (service-starter's resource server).
		List<String> scopes = resourceServer.stream()
			.flatMap(server -> Stream.of(server.readScope(), server.writeScope()))
			.filter(scope -> !scope.isBlank())
			.toList();
		Scopes scopeDescriptions = new Scopes();
		scopes.forEach(scope -> scopeDescriptions.addString(scope, scope.endsWith(":read") ? "read" : "change"));
		SecurityScheme oauth2 = new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
			.description("Log in as a person (auth-server's login form): the authorization code grant; "
					+ "Swagger UI's client swagger-ui uses PKCE and has no secret.")
			.flows(new OAuthFlows().authorizationCode(new OAuthFlow().authorizationUrl(properties.authorizationUrl())
				.tokenUrl(properties.tokenUrl())
				.scopes(scopeDescriptions)));
		return new OpenAPI()
			.servers(List.of(new Server().url(properties.serverUrl())
				.description("The api-gateway (relative to this document's URL)")))
			.components(new Components().addSecuritySchemes(API_KEY_SCHEME, apiKey)
				.addSecuritySchemes(BEARER_SCHEME, bearer)
				.addSecuritySchemes(OAUTH2_SCHEME, oauth2))
			.security(List.of(new SecurityRequirement().addList(API_KEY_SCHEME),
					new SecurityRequirement().addList(BEARER_SCHEME),
					new SecurityRequirement().addList(OAUTH2_SCHEME, scopes)));
	}

	/**
	 * @return the customizer that declares error responses as problem details
	 */
	@Bean
	public ProblemResponsesCustomizer problemResponsesCustomizer() {
		return new ProblemResponsesCustomizer();
	}

}
