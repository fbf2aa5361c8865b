package dev.cloudref.systemtest;

import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A response from the gateway, with its body parsed as JSON where it is JSON.
 */
final class ApiResponse {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpResponse<String> response;

	ApiResponse(HttpResponse<String> response) {
		this.response = response;
	}

	int status() {
		return response.statusCode();
	}

	String header(String name) {
		return response.headers().firstValue(name).orElse(null);
	}

	String contentType() {
		return header("Content-Type");
	}

	String body() {
		return response.body();
	}

	JsonNode json() {
		return JSON.readTree(response.body());
	}

	java.net.http.HttpClient.Version version() {
		return response.version();
	}

	@Override
	public String toString() {
		return response.request().method() + " " + response.request().uri() + " -> " + status() + " " + body();
	}

}
