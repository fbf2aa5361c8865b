# syntax=docker/dockerfile:1
#
# One image recipe for every runnable module. Pick the app with the MODULE build arg:
#
#   docker build --build-arg MODULE=user-service -t cloudref/user-service:dev .
#
# MODULE is one of: config-server, eureka-server, auth-server, user-service, order-service,
# api-gateway.
#
# The Maven step does not depend on MODULE, so when docker compose builds the four
# images BuildKit runs Maven once and reuses that stage for all of them. Pass
# --build-arg APP_MODULES=<module> to build only one app (faster for a single image).
#
# Start-up: the runtime stage runs the app once at image build (a training run that
# stops when the application context has refreshed) and keeps the JDK AOT cache it
# leaves (JEP 483/514, JDK 25+); the ENTRYPOINT uses it. That halves the start-up time
# (docs/benchmarks.md). The code is compiled for Java 17 (--release 17) by a JDK 17; the
# runtime is a JRE 25 because only 25+ makes an AOT cache in one step. With a JRE_IMAGE
# of 17-24 the same stage makes a CDS archive instead (see the RUN below).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble

# ---------------------------------------------------------------------------------
# 1. Compile and package the fat jars.
# ---------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /workspace

# Apps to package (comma-separated Maven module names); -am adds the parent pom and
# service-starter. Tests are run outside the image build.
ARG APP_MODULES=config-server,eureka-server,auth-server,user-service,order-service,api-gateway

# The context is the repository root, filtered by .dockerignore (no target/, .git/,
# .local/, keys or certificates).
COPY . .

# ~/.m2 (dependencies and the Maven distribution the wrapper downloads) lives in a
# BuildKit cache; "locked" keeps concurrent builds from writing it at the same time.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    chmod +x mvnw \
 && ./mvnw -B -q -pl "${APP_MODULES}" -am package -DskipTests

# ---------------------------------------------------------------------------------
# 2. Split the chosen app's jar into layers (least to most frequently changing), in the
#    form the AOT cache needs: application.jar whose manifest Class-Path names lib/*.jar
#    (no Spring Boot launcher: its class loader hides the classes from the cache).
# ---------------------------------------------------------------------------------
FROM build AS extract
ARG MODULE
RUN set -eu; \
    case "${MODULE:-}" in \
      config-server|eureka-server|auth-server|user-service|order-service|api-gateway) ;; \
      *) echo "MODULE must be one of config-server, eureka-server, auth-server, user-service, order-service, api-gateway (got '${MODULE:-}')" >&2; exit 1 ;; \
    esac; \
    jar="$(find "${MODULE}/target" -maxdepth 1 -type f -name "${MODULE}-*.jar" \
             ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-tests.jar' 2>/dev/null || true)"; \
    if [ -z "${jar}" ] || [ "$(printf '%s\n' "${jar}" | wc -l)" -ne 1 ]; then \
      echo "expected exactly one jar for ${MODULE}, found: ${jar:-none} (is ${MODULE} in APP_MODULES?)" >&2; exit 1; \
    fi; \
    java -Djarmode=tools -jar "${jar}" extract --layers --application-filename application.jar \
         --destination /extracted

# ---------------------------------------------------------------------------------
# 3. Runtime: JRE only, non-root, extracted layers, AOT cache from a training run.
# ---------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
ARG MODULE
LABEL org.opencontainers.image.title="cloudref ${MODULE}" \
      org.opencontainers.image.description="cloudref ${MODULE} (Spring Boot)" \
      dev.cloudref.module="${MODULE}"

# A fixed, unprivileged uid. /app is writable by it (the apps may create .local/ for
# state); /var/lib/gateway/certs is where api-gateway keeps its generated certificate
# and /var/lib/auth-server/keys where auth-server keeps its signing keys, in
# docker-compose (a named volume copies this ownership on first use).
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin app \
 && mkdir -p /app /var/lib/gateway/certs /var/lib/auth-server/keys \
 && chown app:app /app /var/lib/gateway/certs /var/lib/auth-server/keys

WORKDIR /app
COPY --from=extract /extracted/dependencies/ ./
COPY --from=extract /extracted/snapshot-dependencies/ ./
COPY --from=extract /extracted/application/ ./
# The config repository: what the config server serves when none is mounted (compose
# mounts ./config-repo over it, so that edits reach it), and what the training run below
# reads instead of asking a config server.
COPY config-repo/ /config-repo/

USER 10001:10001

# Memory as sized in docs/benchmarks.md ("Memory"): the heap a third of the container's
# memory limit (128 MiB of the 384 MiB that docker-compose.yml gives; the live set is
# 40-45 MiB), metaspace, code cache and direct buffers capped, small thread stacks, two
# malloc arenas. Die (and get restarted) rather than limp on after an OutOfMemoryError.
# Serial GC: with one or two CPUs and a few hundred MiB the JVM picks it anyway, and
# naming it keeps the training run (on the build machine, where the JVM would pick G1)
# and the container on the same collector. docker-compose.yml sets the same value.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=33 -XX:InitialRAMPercentage=8 -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2

# The training run: the app starts with its own defaults (profile local: embedded H2 in
# a throw-away directory, no database server, no registry call: the Eureka client is
# created lazily, after the refresh) and exits once the context has refreshed, before
# any port is bound. An app with a file in the config repository reads the repository's
# files directly (no config server runs at build time). -Xmx128m stands in for the container's share of its limit: a heap
# sized from the build machine's RAM could exceed 32 GiB and switch off compressed oops,
# which the cache records. JDK 25+ writes an AOT cache (-XX:AOTCacheOutput), JDK 17-24 a
# dynamic CDS archive; startup-cache.args gets the option that reads it, for the
# ENTRYPOINT (a java @argfile, so the choice needs no shell at start).
RUN set -eu; \
    train="$(mktemp -d)"; \
    if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then \
      record=-XX:AOTCacheOutput=app.aot; use=-XX:AOTCache=app.aot; cache=app.aot; \
    else \
      record=-XX:ArchiveClassesAtExit=app.jsa; use=-XX:SharedArchiveFile=app.jsa; cache=app.jsa; \
    fi; \
    if [ -f "/config-repo/${MODULE}.yml" ]; then \
      export SPRING_CLOUD_CONFIG_ENABLED=false \
             SPRING_CONFIG_IMPORT="optional:file:/config-repo/application.yml,optional:file:/config-repo/${MODULE}.yml"; \
    fi; \
    SPRING_PROFILES_ACTIVE=local SERVER_PORT=0 MANAGEMENT_PORT=0 EUREKA_PORT=0 \
    DATA_DIR="${train}/data" GATEWAY_TLS_DIR="${train}/certs" \
    EUREKA_URL=http://127.0.0.1:9/eureka/ ZIPKIN_ENABLED=false \
      java -Xmx128m "${record}" -Dspring.context.exit=onRefresh -jar application.jar > "${train}/training.log" 2>&1 \
      || true; \
    if [ ! -s "${cache}" ]; then \
      tail -n 40 "${train}/training.log" >&2; echo "the training run made no ${cache}" >&2; exit 1; \
    fi; \
    echo "${use}" > startup-cache.args; \
    rm -rf "${train}"; \
    ls -l "${cache}"

# curl ships in the eclipse-temurin Ubuntu images; docker-compose.yml uses it for
# health checks against /actuator/health/readiness on the management port.
# A cache that does not fit the JVM or its options is ignored with a warning, never
# fatal (-XX:AOTMode stays at its default, auto).
ENTRYPOINT ["java", "@startup-cache.args", "-jar", "application.jar"]
