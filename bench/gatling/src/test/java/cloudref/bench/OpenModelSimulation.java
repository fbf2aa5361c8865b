package cloudref.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * One request per virtual user, users arriving at a constant rate (open model): a slow
 * response does not slow down the arrivals, so coordinated omission cannot hide the tail.
 * Connections are shared between users (a keep-alive pool, like wrk's), so the run
 * measures requests, not TLS handshakes. Parameters are system properties (bench.*).
 */
public class OpenModelSimulation extends Simulation {

    private static String prop(String name, String fallback) {
        String value = System.getProperty("bench." + name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private final String name = prop("name", "request");
    private final String baseUrl = prop("baseUrl", "https://localhost:8443");
    private final String path = prop("path", "/api/users");
    private final String method = prop("method", "GET");
    // base64, so that JSON quotes survive the trip through Maven into Gatling's JVM
    private final String body = new String(Base64.getDecoder().decode(prop("bodyBase64", "")),
            StandardCharsets.UTF_8);
    private final String apiKey = prop("apiKey", "");
    // An access token, for requests past the gateway (the services require one).
    private final String bearer = prop("bearer", "");
    private final double rate = Double.parseDouble(prop("rate", "50"));
    private final int duration = Integer.parseInt(prop("duration", "20"));
    private final int warmup = Integer.parseInt(prop("warmup", "5"));
    private final boolean http2 = Boolean.parseBoolean(prop("http2", "false"));

    {
        HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
                .shareConnections()
                .acceptHeader("application/json")
                .disableCaching()
                .disableFollowRedirect()
                .disableWarmUp();  // its default warm-up request goes to gatling.io
        if (!apiKey.isEmpty()) {
            protocol = protocol.header("X-API-Key", apiKey);
        }
        if (!bearer.isEmpty()) {
            protocol = protocol.header("Authorization", "Bearer " + bearer);
        }
        if (http2) {
            protocol = protocol.enableHttp2();
        }

        // The same requests at the same rate, first as "warmup" (warms up Gatling's own
        // JIT and connection pool; reported separately), then as NAME, the measurement.
        ScenarioBuilder warm = scenario("warmup").exec(request("warmup"));
        ScenarioBuilder measured = scenario(name).exec(request(name));
        setUp(warm.injectOpen(constantUsersPerSec(rate).during(warmup))
                .andThen(measured.injectOpen(constantUsersPerSec(rate).during(duration))))
                .protocols(protocol);
    }

    private HttpRequestActionBuilder request(String requestName) {
        if ("POST".equalsIgnoreCase(method)) {
            return http(requestName).post(path).header("Content-Type", "application/json")
                    .body(StringBody(body)).check(status().in(200, 201));
        }
        return http(requestName).get(path).check(status().is(200));
    }
}
