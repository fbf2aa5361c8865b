package dev.cloudref.launcher;

import java.nio.file.Path;
import java.util.stream.Collectors;

/** {@code ./run-local.sh}'s help, and its banner once the system is routable. */
final class Usage {

	private Usage() {
	}

	static String text() {
		return """
				Usage: ./run-local.sh [--build | --no-build] [--instances N] [--eureka-peers N] [--postgres] [--zipkin]
				       ./run-local.sh status
				       ./run-local.sh startup-cache JAVA JAR CACHE_DIR [JVM_OPTION...]
				       ./run-local.sh --help

				Builds the project if needed, starts every app of launcher/apps.conf as a JVM process
				(Eureka, N x user-service, N x order-service, the HTTPS API gateway, and any service
				added with tools/new-service.sh), waits until every instance is ready, registered and
				routable, prints the gateway URL, the API key and example requests, then stays in the
				foreground. Ctrl-C stops everything it started (gateway first, the registry last);
				a second Ctrl-C kills what is left at once. While it runs, `./run-local.sh status` in
				another terminal shows each instance, its process, readiness and registration.
				`startup-cache` makes one app's start-up cache and prints the java arguments that
				use it, one per line (bench/startup.sh).

				Options:
				  --build          always run the Maven build first
				  --no-build       never build; use the jars under */target/ as they are
				  --instances N    instances of each service whose instances column in apps.conf is n
				                   (1-9, default 2)
				  --eureka-peers N Eureka peers (1 or 2, default 1). With 2, eureka-server-1 (:8761) and
				                   eureka-server-2 (:8762) replicate to each other and every app knows
				                   both. Registry down: kill one (its pid is in ./run-local.sh status),
				                   and routing and registration go on through the other.
				  --postgres       the services use PostgreSQL (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD;
				                   default localhost:5432, user postgres) instead of the embedded H2
				                   files; each service's database (apps.conf) is created with createdb
				                   if missing. With H2, the instance that holds a database file serves it
				                   to the other one, so killing it costs the other a second of 503s;
				                   PostgreSQL has no such single point (docs/resilience.md).
				  --zipkin         also run a Zipkin server (:9411, in-memory storage) and send the
				                   traces to it. UI: http://localhost:9411/zipkin/ ; every gateway
				                   response carries its trace id in the X-Trace-Id header. The first use
				                   fetches io.zipkin:zipkin-server:3.6.1:jar:exec (~135 MB) with ./mvnw.
				  -h, --help       show this help

				By default the build (./mvnw -B -q package -DskipTests) runs only when a jar is missing
				or a pom.xml or a file under */src/ is newer than a jar. After a build, each app's
				start-up cache (extracted jar plus JDK AOT cache, or CDS archive before JDK 25) is made
				again by a training run, costing about one start of each app, once.

				Ports (launcher/apps.conf; all must be free; the services listen on 127.0.0.1 only):
				  eureka-server      8761 (8762 for the second peer)   dashboard http://localhost:8761/
				                     (user registry, password in .local/registry-password)
				  api-gateway        8443 (HTTPS)                      management 9090
				  auth-server        9000 (tokens via the gateway)     management 9001
				  user-service  #i   8081+i-1                          management 9081+i-1
				  order-service #i   8091+i-1                          management 9091+i-1
				  zipkin             9411                              only with --zipkin
				  embedded-broker    5672 (AMQP)                       health 15672; only without RabbitMQ

				Environment:
				  DEMO_API_KEY     API key to use; default: generated once into .local/api-key
				                   (the gateway only ever gets its SHA-256 hash)
				  DEMO_CLIENT_SECRET  secret of the OAuth client demo (client_credentials); default:
				                   generated once into .local/demo-client-secret (auth-server gets
				                   its PBKDF2 hash only)
				  DEMO_USER_PASSWORD  password of auth-server's user demo (its login form: Swagger UI's
				                   Authorize, the authorization code grant); default: generated once
				                   into .local/demo-user-password (auth-server gets its hash only)
				  EUREKA_USER, EUREKA_PASSWORD  the registry's account (HTTP basic; letters, digits
				                   and . _ ~ - only); default: registry, and a password generated once
				                   into .local/registry-password. Every app and peer gets it in its
				                   service URLs; anonymous clients are refused.
				  JAVA_OPTS        extra JVM options, after the defaults
				                   %s
				                   (later options win, e.g. JAVA_OPTS=-Xmx512m)
				  STARTUP_TIMEOUT  seconds to wait for everything to be routable (default 180)
				  JAVA_HOME        JDK for the apps (>= 17); default: the newest JDK >= 25 installed
				                   (/usr/lib/jvm, /Library/Java/JavaVirtualMachines, C:\\Program Files\\Java),
				                   else the one running the launcher
				  STARTUP_CACHE=0  start the apps from their fat jars, without a start-up cache
				  ZIPKIN=1, POSTGRES=1, EUREKA_PEERS_COUNT=N   same as the options
				  TRACING_SAMPLING_PROBABILITY  share of requests traced (default 1.0)
				  RABBITMQ_HOST, RABBITMQ_PORT  the broker of the order events and config changes
				                   (default localhost:5672); if no RabbitMQ answers there, the
				                   embedded one (Apache Qpid Broker-J, in memory) runs on
				                   127.0.0.1 at that port

				State (git-ignored): .local/logs/<instance>.log, .local/data/ (H2 files),
				.local/certs/gateway.crt (for curl --cacert), .local/api-key, .local/registry-password,
				.local/demo-client-secret, .local/demo-user-password, .local/data/auth-keys/ (token signing keys),
				.local/zipkin/,
				.local/startup-cache/, .local/launcher.state (what status reads).
				""".formatted(RunLocal.DEFAULT_JVM_OPTIONS);
	}

	/**
	 * @return the banner's lines that get a token from the authorization server and use
	 * it, or nothing when the plan has no authorization server
	 */
	private static String tokenExample(SystemPlan plan, String cacert, boolean inRepository, Path repository,
			String gw) {
		if (plan.instances().stream().noneMatch(i -> i.app().name().equals(RunLocal.AUTH_SERVER))) {
			return "";
		}
		String secret = inRepository ? ".local/demo-client-secret"
				: repository.resolve(".local/demo-client-secret").toString();
		return """

				 With an OAuth 2 access token instead of the API key (client demo, secret in %s):
				   TOKEN=$(curl --cacert %s -s -u "demo:$(cat %s)" -d grant_type=client_credentials -d 'scope=users:read orders:read' %s/oauth2/token | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
				   curl --cacert %s -H "Authorization: Bearer $TOKEN" '%s/api/users?page=0&size=20'
				"""
			.formatted(secret, cacert, secret, gw, cacert, gw);
	}

	static String banner(SystemPlan plan, ApiKey key, Path repository, long sinceStart, long sinceLaunch, boolean built,
			Options options) {
		Path caller = Path.of(System.getProperty("cloudref.caller-dir", repository.toString())).toAbsolutePath();
		String cacert = caller.normalize().equals(repository) ? ".local/certs/gateway.crt"
				: repository.resolve(".local/certs/gateway.crt").toString();
		String gw = "https://localhost:" + plan.gateway().port();
		String c = "curl --cacert " + cacert + " -H \"X-API-Key: " + key.value() + "\"";
		String j = "-H 'Content-Type: application/json'";
		String apps = plan.instances()
			.stream()
			.collect(Collectors.groupingBy(i -> i.app().name(), java.util.LinkedHashMap::new, Collectors.counting()))
			.entrySet()
			.stream()
			.map(e -> (e.getValue() > 1 ? e.getValue() + "x " : "") + e.getKey())
			.collect(Collectors.joining(", "));
		int registry = plan.instances(AppSpec.Role.REGISTRY).get(0).port();
		String config = plan.instances(AppSpec.Role.CONFIG)
			.stream()
			.findFirst()
			.map(server -> " Config server:    http://localhost:%d/ serving %s (e.g. /user-service/default)\n"
				.formatted(server.port(), repository.resolve("config-repo")))
			.orElse("");
		String zipkin = options.zipkin() ? """
				 Zipkin UI:        http://localhost:%d/zipkin/
				                   look up a request by its X-Trace-Id header: http://localhost:%d/zipkin/traces/<id>
				""".formatted(RunLocal.ZIPKIN_PORT, RunLocal.ZIPKIN_PORT) : "";
		return """

				================================================================================
				 cloudref is up: %s
				 Routable %ds after start (launch to routable %ds%s)

				 Gateway:          %s
				 API key:          %s   (%s)
				 API docs:         %s/swagger-ui.html   (Swagger UI; "Authorize" with the key to try requests)
				 Eureka dashboard: http://localhost:%d/   (user %s, password %s)
				%s Logs:             %s
				%s
				 Try it (bash):
				   %s %s -d '{"name":"Ada","email":"ada@example.com"}' %s/api/users
				   %s '%s/api/users?page=0&size=20'

				   USER_ID=$(%s -s %s -d "{\\"name\\":\\"Grace\\",\\"email\\":\\"grace-$RANDOM@example.com\\"}" %s/api/users | grep -o '"id":"[^"]*"' | cut -d'"' -f4); echo "$USER_ID"
				   %s %s -d "{\\"userId\\":\\"$USER_ID\\",\\"sku\\":\\"BOOK-1\\",\\"quantity\\":2}" %s/api/orders
				   %s %s/api/users/$USER_ID/orders
				%s
				 Status:           ./run-local.sh status   (in another terminal)
				 Press Ctrl-C to stop everything.
				================================================================================

				"""
			.formatted(apps, sinceStart, sinceLaunch, built ? ", build included" : "", gw, key.value(), key.source(),
					gw, registry, plan.registryCredentials().user(),
					plan.registryCredentials()
						.source()
						.replace("generated into ", "in ")
						.replace("from .local", "in .local"),
					config, repository.resolve(".local/logs"), zipkin, c, j, gw, c, gw, c, j, gw, c, j, gw, c, gw,
					tokenExample(plan, cacert, caller.normalize().equals(repository), repository, gw));
	}

}
