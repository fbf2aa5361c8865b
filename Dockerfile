# syntax=docker/dockerfile:1
#
# One image recipe for every runnable module. Pick the app with the MODULE build arg:
#
#   docker build --build-arg MODULE=user-service -t cloudref/user-service:dev .
#
# MODULE is one of: eureka-server, user-service, order-service, api-gateway.
#
# The Maven step does not depend on MODULE, so when docker compose builds the four
# images BuildKit runs Maven once and reuses that stage for all of them. Pass
# --build-arg APP_MODULES=<module> to build only one app (faster for a single image).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

# ---------------------------------------------------------------------------------
# 1. Compile and package the fat jars.
# ---------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /workspace

# Apps to package (comma-separated Maven module names); -am adds the parent pom and
# service-starter. Tests are run outside the image build.
ARG APP_MODULES=eureka-server,user-service,order-service,api-gateway

# The context is the repository root, filtered by .dockerignore (no target/, .git/,
# .local/, keys or certificates).
COPY . .

# ~/.m2 (dependencies and the Maven distribution the wrapper downloads) lives in a
# BuildKit cache; "locked" keeps concurrent builds from writing it at the same time.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    chmod +x mvnw \
 && ./mvnw -B -q -pl "${APP_MODULES}" -am package -DskipTests

# ---------------------------------------------------------------------------------
# 2. Split the chosen app's jar into layers (least to most frequently changing).
# ---------------------------------------------------------------------------------
FROM build AS extract
ARG MODULE
RUN set -eu; \
    case "${MODULE:-}" in \
      eureka-server|user-service|order-service|api-gateway) ;; \
      *) echo "MODULE must be one of eureka-server, user-service, order-service, api-gateway (got '${MODULE:-}')" >&2; exit 1 ;; \
    esac; \
    jar="$(find "${MODULE}/target" -maxdepth 1 -type f -name "${MODULE}-*.jar" \
             ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-tests.jar' 2>/dev/null || true)"; \
    if [ -z "${jar}" ] || [ "$(printf '%s\n' "${jar}" | wc -l)" -ne 1 ]; then \
      echo "expected exactly one jar for ${MODULE}, found: ${jar:-none} (is ${MODULE} in APP_MODULES?)" >&2; exit 1; \
    fi; \
    java -Djarmode=tools -jar "${jar}" extract --layers --launcher --destination /extracted

# ---------------------------------------------------------------------------------
# 3. Runtime: JRE only, non-root, exploded layers, Spring Boot's launcher.
# ---------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
ARG MODULE
LABEL org.opencontainers.image.title="cloudref ${MODULE}" \
      org.opencontainers.image.description="cloudref ${MODULE} (Spring Boot)" \
      dev.cloudref.module="${MODULE}"

# A fixed, unprivileged uid. /app is writable by it (the apps may create .local/ for
# state); /var/lib/gateway/certs is where api-gateway keeps its generated certificate
# in docker-compose (a named volume copies this ownership on first use).
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin app \
 && mkdir -p /app /var/lib/gateway/certs \
 && chown app:app /app /var/lib/gateway/certs

WORKDIR /app
COPY --from=extract /extracted/dependencies/ ./
COPY --from=extract /extracted/spring-boot-loader/ ./
COPY --from=extract /extracted/snapshot-dependencies/ ./
COPY --from=extract /extracted/application/ ./

USER 10001:10001

# Heap as a share of the container's memory limit; die (and get restarted) rather than
# limp on after an OutOfMemoryError. docker-compose.yml sets its own value.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"

# curl ships in the eclipse-temurin Ubuntu images; docker-compose.yml uses it for
# health checks against /actuator/health/readiness on the management port.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
