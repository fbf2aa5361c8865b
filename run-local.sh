#!/bin/sh
# run-local.sh - runs the whole demo on a bare machine (a JDK >= 17, no Docker). The
# launcher itself is Java (launcher/, dev.cloudref.launcher.RunLocal); this script only
# compiles it with javac when its sources changed and hands over. ./run-local.sh --help
# lists the options; Windows: run-local.cmd.
set -eu

CALLER_DIR=$(pwd)
cd "$(dirname "$0")"
ROOT=$(pwd -P)

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
elif command -v javac >/dev/null 2>&1; then
    JAVA=java; JAVAC=javac
else
    echo "[run-local] ERROR: no JDK found: install a JDK >= 17 (javac on PATH) or set JAVA_HOME" >&2
    exit 1
fi

# Compiled again when a source is newer than the last compilation (or it never ran).
CLASSES=.local/launcher/classes
STAMP=.local/launcher/compiled
if [ ! -f "$STAMP" ] || [ -n "$(find launcher/src/main/java -newer "$STAMP" -name '*.java' 2>/dev/null | head -n 1)" ]; then
    rm -rf "$CLASSES"
    mkdir -p "$CLASSES"
    # shellcheck disable=SC2046  # source paths have no spaces
    # Its output only on failure: it always warns that sun.misc.Signal (Signals.java) is
    # internal, which is known and intended.
    "$JAVAC" --release 17 -nowarn -d "$CLASSES" $(find launcher/src/main/java -name '*.java') \
        > .local/launcher/javac.log 2>&1 \
        || { cat .local/launcher/javac.log >&2; echo "[run-local] ERROR: compiling the launcher failed (JDK >= 17 needed)" >&2; exit 1; }
    touch "$STAMP"
fi

# glibc's malloc keeps up to 8 arenas per core for a multi-threaded process; two are
# plenty for the JVM's few native allocations and keep RSS from fragmenting upward.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
exec "$JAVA" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CLASSES" \
    "-Dcloudref.repository=$ROOT" "-Dcloudref.caller-dir=$CALLER_DIR" dev.cloudref.launcher.RunLocal "$@"
