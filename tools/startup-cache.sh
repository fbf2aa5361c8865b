#!/usr/bin/env bash
# tools/startup-cache.sh - the one place that prepares the faster start of a packaged app:
# the jar extracted the way Spring Boot recommends (java -Djarmode=tools extract) plus a
# JDK AOT cache (JDK 25+, JEP 483/514) or, on older JDKs, a dynamic CDS archive, both
# made by a training run that stops once the application context has refreshed
# (-Dspring.context.exit=onRefresh). Used by run-local.sh and the system tests
# (LocalSystem); docs/benchmarks.md has the figures.
#
#   tools/startup-cache.sh java
#       prints the java the launcher should use: $JAVA_HOME/bin/java if JAVA_HOME is
#       set, else the newest JDK >= 25 under /usr/lib/jvm (Linux) or
#       /Library/Java/JavaVirtualMachines (macOS), else java on PATH.
#
#   tools/startup-cache.sh args JAVA JAR CACHE_DIR [JVM_OPTION...]
#       prints, one per line, the java arguments that start JAR: with the cache
#       ("-XX:AOTCache=<dir>/app.aot" or "-XX:SharedArchiveFile=<dir>/app.jsa", then
#       "-jar <dir>/app/<name>.jar"), creating extraction and cache first when JAR, the
#       JDK or the JVM options changed since they were made. Falls back to "-jar JAR"
#       (with a warning on stderr) if anything goes wrong: a missing cache must never
#       keep an app from starting. JVM_OPTIONs are those the app will run with; the
#       training run uses them too, because a cache only serves a JVM whose options
#       (GC, compressed oops, ...) match the ones it was made with.
#
# STARTUP_CACHE=0 (or false/no/off) switches it off: "args" then prints "-jar JAR".
# Needs only a JDK >= 17 and a POSIX userland; written for bash 3.2 (macOS).
set -euo pipefail

warn() { printf '[startup-cache] %s\n' "$*" >&2; }

# java_major JAVA: the feature release (17, 25, ...) of a java executable.
java_major() {
    local spec
    spec=$("$1" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java\.specification\.version/ {print $2; exit}' || true)
    spec=${spec%%[!0-9.]*}
    case "$spec" in
        1.*) spec=${spec#1.} ;;
    esac
    printf '%s' "${spec%%.*}"
}

find_java() {
    if [ -n "${JAVA_HOME:-}" ]; then
        printf '%s' "$JAVA_HOME/bin/java"
        return 0
    fi
    # A JDK >= 25 can use the AOT cache; prefer the newest one installed next to the
    # default JDK, which distributions often leave at 17 or 21.
    local candidate major best="" best_major=0
    for candidate in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
        [ -x "$candidate" ] || continue
        major=$(java_major "$candidate")
        case "$major" in ''|*[!0-9]*) continue ;; esac
        if [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
            best=$candidate; best_major=$major
        fi
    done
    if [ -n "$best" ]; then
        printf '%s' "$best"
    elif command -v java >/dev/null 2>&1; then
        command -v java
    else
        printf 'java'
    fi
}

fallback() {  # JAR REASON: start from the fat jar, as without a cache
    [ -n "$2" ] && warn "$2; starting $(basename "$1") without a start-up cache"
    printf '%s\n' -jar "$1"
    exit 0
}

# file_stamp FILE: size and modification time, enough to notice a rebuilt jar.
file_stamp() {
    if stat -c '%s %Y' "$1" 2>/dev/null; then return 0; fi
    stat -f '%z %m' "$1"  # BSD/macOS
}

# Lock DIR: mkdir is atomic everywhere (flock is not on macOS). A lock whose owner is
# gone (killed mid-training) is taken over.
acquire_lock() {
    local lock=$1 waited=0 owner
    while ! mkdir "$lock" 2>/dev/null; do
        owner=$(cat "$lock/pid" 2>/dev/null || true)
        if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
            rm -rf "$lock"
            continue
        fi
        [ "$waited" -ge 600 ] && return 1   # 5 min: another training hangs; give up
        sleep 0.5
        waited=$((waited + 1))
    done
    echo $$ > "$lock/pid"
}

prepare() {
    local java=$1 jar=$2 dir=$3
    shift 3
    case "${STARTUP_CACHE:-1}" in
        0|false|no|off) fallback "$jar" "" ;;
    esac
    [ -f "$jar" ] || fallback "$jar" "no jar at $jar"
    local major name mode cache flag stamp
    major=$(java_major "$java")
    case "$major" in ''|*[!0-9]*) fallback "$jar" "cannot tell the version of $java" ;; esac
    name=$(basename "$jar")
    # An absolute, symlink-free directory: the cache records the class path it was made
    # with, and the JVM ignores it when the -jar path differs (relative vs absolute too).
    mkdir -p "$dir" || fallback "$jar" "cannot create $dir"
    dir=$(cd "$dir" && pwd -P)
    # JDK 25's one-step training (-XX:AOTCacheOutput); JDK 24 needs two steps for an AOT
    # cache, so it gets CDS like 17-23.
    if [ "$major" -ge 25 ]; then
        mode=aot; cache="$dir/app.aot"; flag="-XX:AOTCache=$cache"
    else
        mode=cds; cache="$dir/app.jsa"; flag="-XX:SharedArchiveFile=$cache"
    fi
    # What the cache depends on: the jar, the exact JDK build, the JVM options.
    stamp="$mode $(file_stamp "$jar") $("$java" -version 2>&1 | tr '\n' ' ') $*"
    if [ -s "$cache" ] && [ "$(cat "$dir/stamp" 2>/dev/null || true)" = "$stamp" ]; then
        printf '%s\n' "$flag" -jar "$dir/app/$name"
        return 0
    fi

    acquire_lock "$dir/.lock" || fallback "$jar" "$dir/.lock is held by a training that does not end"
    # shellcheck disable=SC2064  # expand now: the trap must remove this lock
    trap "rm -rf '$dir/.lock' '$dir/train'" EXIT
    # Someone else may have finished it while we waited for the lock.
    if [ -s "$cache" ] && [ "$(cat "$dir/stamp" 2>/dev/null || true)" = "$stamp" ]; then
        printf '%s\n' "$flag" -jar "$dir/app/$name"
        return 0
    fi
    local started=$SECONDS
    rm -rf "$dir/app" "$dir/train" "$dir/stamp" "$dir"/app.aot "$dir"/app.jsa "$dir"/*.tmp
    # The extracted jar keeps the fat jar's name, so its path (part of the cache's
    # class path) stays the same from one build to the next.
    "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >"$dir/extract.log" 2>&1 \
        || fallback "$jar" "extracting $jar failed (see $dir/extract.log)"
    # The training run: the app's own defaults (profile local, embedded H2), but state,
    # ports and registry pointed at throw-away places, so that it needs no network, no
    # database server and no free port, and leaves nothing behind. onRefresh stops before
    # the web servers bind and before the Eureka client registers (its client bean is lazy).
    mkdir -p "$dir/train"
    local option
    case "$mode" in aot) option="-XX:AOTCacheOutput=$dir/app.aot.tmp" ;; *) option="-XX:ArchiveClassesAtExit=$dir/app.jsa.tmp" ;; esac
    # Its exit status says little (the JVM may report the deliberate stop); the cache
    # file it leaves is what counts.
    (
        cd "$dir/train"
        unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS SPRING_APPLICATION_JSON
        export SPRING_PROFILES_ACTIVE=local SERVER_PORT=0 MANAGEMENT_PORT=0 EUREKA_PORT=0 \
            DATA_DIR="$dir/train/data" GATEWAY_TLS_DIR="$dir/train/certs" \
            EUREKA_URL=http://127.0.0.1:9/eureka/ ZIPKIN_ENABLED=false
        exec "$java" "$@" "$option" -Dspring.context.exit=onRefresh -jar "$dir/app/$name"
    ) >"$dir/training.log" 2>&1 || true
    [ -s "$dir/${cache##*/}.tmp" ] \
        || fallback "$jar" "the training run made no $mode cache (see $dir/training.log)"
    mv "$dir/${cache##*/}.tmp" "$cache"
    printf '%s' "$stamp" > "$dir/stamp"
    warn "$(basename "$jar" .jar): $mode cache for Java $major made in $((SECONDS - started))s ($dir)"
    printf '%s\n' "$flag" -jar "$dir/app/$name"
}

case "${1:-}" in
    java) find_java; echo ;;
    args) [ $# -ge 4 ] || { warn "usage: $0 args JAVA JAR CACHE_DIR [JVM_OPTION...]"; exit 2; }
          shift; prepare "$@" ;;
    *)    warn "usage: $0 java | args JAVA JAR CACHE_DIR [JVM_OPTION...]"; exit 2 ;;
esac
