#!/usr/bin/env bash
# Adds a new service module to this repository from service-archetype, and wires it in:
# the parent pom's <modules>, its file in the config repository (config-repo/NAME.yml),
# a system test (system-tests), the app list of the launcher,
# the system tests and bench/ (launcher/apps.conf), docker-compose.yml (a service, its database and role), the Dockerfile's
# default module list, and its OAuth client in auth-server. The gateway
# needs no change: it routes /api/<resources>/** to any service that registers with the
# metadata entry public-path, which the generated application.yml sets.
#
#   tools/new-service.sh inventory-service --resource item
#
# Walk-through: docs/new-service.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

usage() {
    cat <<'USAGE'
Usage: tools/new-service.sh NAME [--resource SINGULAR] [--resources PLURAL]
                              [--package JAVA_PACKAGE] [--database DB] [--no-install]

  NAME          module and registry name: lower-case words joined by '-', e.g. inventory-service
  --resource    the example resource, a lower-case word (default: item); Java names use it
                capitalised (Item, ItemController, ...)
  --resources   its plural: path /api/<resources> at the gateway, table name
                (default: <resource>s)
  --package     base Java package (default: dev.cloudref.<NAME without -service and '-'>)
  --database    database of the postgres profile and of the H2 file (default: NAME
                without -service, '-' as '_')
  --no-install  do not install the parent pom, service-starter, service-test-support and service-archetype into
                ~/.m2 first (./mvnw -pl service-starter,service-test-support,service-archetype -am install);
                only when they are installed at this version already

Afterwards: ./mvnw -pl NAME verify   (its tests; the generated code is already formatted)
            ./run-local.sh --build   (the whole system with it, one instance)
USAGE
}

die() { printf 'new-service: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
NAME=$1; shift
RESOURCE=item; RESOURCES=""; PACKAGE=""; DATABASE=""; INSTALL=1
while [ $# -gt 0 ]; do
    case "$1" in
        --resource)  RESOURCE=${2:?--resource needs a value}; shift 2 ;;
        --resources) RESOURCES=${2:?--resources needs a value}; shift 2 ;;
        --package)   PACKAGE=${2:?--package needs a value}; shift 2 ;;
        --database)  DATABASE=${2:?--database needs a value}; shift 2 ;;
        --no-install) INSTALL=0; shift ;;
        -h|--help)   usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

BASE=${NAME%-service}
RESOURCES=${RESOURCES:-${RESOURCE}s}
PACKAGE=${PACKAGE:-dev.cloudref.${BASE//-/}}
DATABASE=${DATABASE:-${BASE//-/_}}
capitalise() { printf '%s%s' "$(printf '%s' "${1:0:1}" | tr '[:lower:]' '[:upper:]')" "${1:1}"; }
RESOURCE_CLASS=$(capitalise "$RESOURCE")
SERVICE_CLASS=""   # inventory-service -> InventoryService
IFS=- read -r -a name_words <<< "$NAME"
for word in "${name_words[@]}"; do SERVICE_CLASS="$SERVICE_CLASS$(capitalise "$word")"; done
ENV_PREFIX=$(printf '%s' "${DATABASE}" | tr '[:lower:]' '[:upper:]')

[[ $NAME =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]] || die "NAME must be lower-case words joined by '-': $NAME"
[[ $RESOURCE =~ ^[a-z][a-z0-9]*$ ]] || die "--resource must be one lower-case word: $RESOURCE"
[[ $RESOURCES =~ ^[a-z][a-z0-9]*$ ]] || die "--resources must be one lower-case word: $RESOURCES"
[[ $PACKAGE =~ ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$ ]] || die "--package is not a Java package: $PACKAGE"
[[ $DATABASE =~ ^[a-z][a-z0-9_]*$ ]] || die "--database must be a lower-case SQL name: $DATABASE"
[ ! -e "$NAME" ] || die "$NAME already exists in $ROOT"
grep -q "<module>$NAME</module>" pom.xml && die "$NAME is a module of pom.xml already"
awk '!/^#/ && NF == 7 { print $6 }' launcher/apps.conf | grep -qx "$DATABASE" && die "database $DATABASE belongs to another service"
if grep -rqs --include=application.yml -e "public-path: /$RESOURCES\$" -- */src/main/resources \
    || grep -q "Path=/api/$RESOURCES[,/]\|Path=/api/$RESOURCES\$" config-repo/api-gateway.yml; then
    die "/api/$RESOURCES is routed to another service already; choose other --resources"
fi

# Next free launcher ports: 8101/9101 for the first added service, 8102/9102, ...
APPS=launcher/apps.conf
[ -f "$APPS" ] || die "$APPS (the launcher's app list) is missing"
count=$(awk '!/^#/ && NF == 7 && $3 >= 8101 && $3 < 8200 { n++ } END { print n + 0 }' "$APPS")
PORT=$((8101 + count)); MGMT_PORT=$((9101 + count))
VERSION=$(awk '/<artifactId>cloudref-parent<\/artifactId>/ { found = 1 }
    found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' pom.xml)
[ -n "$VERSION" ] || die "cannot read the project version from pom.xml"

if [ "$INSTALL" = 1 ]; then
    echo "new-service: installing the parent pom, service-starter, service-test-support and service-archetype $VERSION into ~/.m2"
    ./mvnw -B -q -pl service-starter,service-test-support,service-archetype -am install -DskipTests
fi

# Generated outside the tree, then moved in: generating inside would let the archetype
# plugin rewrite the whole parent pom to add the module (reformatting it).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "new-service: generating $NAME (package $PACKAGE, resource $RESOURCE_CLASS at /api/$RESOURCES)"
./mvnw -B -q org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate \
    -DoutputDirectory="$work" -DinteractiveMode=false \
    -DarchetypeGroupId=dev.cloudref -DarchetypeArtifactId=service-archetype -DarchetypeVersion="$VERSION" \
    -DgroupId=dev.cloudref -DartifactId="$NAME" -Dversion="$VERSION" -Dpackage="$PACKAGE" \
    -Dresource="$RESOURCE" -DResource="$RESOURCE_CLASS" -Dresources="$RESOURCES" -Ddatabase="$DATABASE" \
    -DserverPort="$PORT" -DmanagementPort="$MGMT_PORT" -DserviceClass="$SERVICE_CLASS"
[ -f "$work/$NAME/pom.xml" ] || die "the archetype generated no $NAME/pom.xml"
SYSTEM_TEST=system-tests/src/test/java/dev/cloudref/systemtest/${SERVICE_CLASS}IT.java
[ ! -e "$SYSTEM_TEST" ] || die "$SYSTEM_TEST exists already"
mv "$work/$NAME/system-test/${SERVICE_CLASS}IT.java" "$SYSTEM_TEST"
rmdir "$work/$NAME/system-test"
CONFIG_FILE=config-repo/$NAME.yml
[ ! -e "$CONFIG_FILE" ] || die "$CONFIG_FILE exists already"
mv "$work/$NAME/config-repo/service.yml" "$CONFIG_FILE"
rmdir "$work/$NAME/config-repo"
mv "$work/$NAME" "$ROOT/$NAME"

# 1. The parent pom: the new module, before system-tests (whose new test needs its jar).
grep -q '^\s*<module>system-tests</module>' pom.xml || die "pom.xml has no <module>system-tests</module>"
sed -i "s#^\(\s*\)<module>system-tests</module>#\1<module>$NAME</module>\n&#" pom.xml

# 2. The app list (./run-local.sh, the system tests, bench/): one instance, on the next
#    ports; routable once its list answers 200 through the gateway.
PROBE="/api/$RESOURCES?ownerId=00000000-0000-0000-0000-000000000000"
printf '%-15s service   %-5s %-5s 1          %-9s %s\n' "$NAME" "$PORT" "$MGMT_PORT" "$DATABASE" "$PROBE" >> "$APPS"

# 3. docker compose: the service, its database and login role (created on the first start
#    of an empty PostgreSQL volume by docker/postgres/init-databases.sh).
python3 - "$NAME" "$DATABASE" "$ENV_PREFIX" <<'PY'
import sys
name, database, prefix = sys.argv[1:4]
path = "docker-compose.yml"
text = open(path).read()
service = f"""  {name}:
    <<: *app
    build:
      context: .
      dockerfile: Dockerfile
      args:
        MODULE: {name}
    image: cloudref/{name}:dev
    environment:
      <<: *service-env
      DB_NAME: {database}
      DB_USER: {database}_service
      DB_PASSWORD: ${{{prefix}_DB_PASSWORD:-cloudref-{database}}}
    expose: ["8080", "8081"]
    healthcheck: *service-healthcheck
    depends_on: *needs-config-eureka-and-db

"""
marker = "  # ---- edge:"
if marker not in text:
    sys.exit("docker-compose.yml: no '# ---- edge:' line to add the service before")
text = text.replace(marker, service + marker, 1)
db_anchor = "      ORDERS_DB_PASSWORD: ${ORDERS_DB_PASSWORD:-cloudref-orders}\n"
if db_anchor not in text:
    sys.exit("docker-compose.yml: no ORDERS_DB_PASSWORD line in the postgres service")
text = text.replace(db_anchor, db_anchor + f"""      {prefix}_DB_NAME: {database}
      {prefix}_DB_USER: {database}_service
      {prefix}_DB_PASSWORD: ${{{prefix}_DB_PASSWORD:-cloudref-{database}}}
""", 1)
open(path, "w").write(text)
PY
cat >> docker/postgres/init-databases.sh <<SH
cloudref_create_service_db "\${${ENV_PREFIX}_DB_NAME:-$DATABASE}" "\${${ENV_PREFIX}_DB_USER:-${DATABASE}_service}" \\
    "\${${ENV_PREFIX}_DB_PASSWORD:?${ENV_PREFIX}_DB_PASSWORD must be set}"
SH

# 4. Its OAuth client in auth-server (client_credentials, scope users:read: its calls to
#    user-service carry its own token). ./run-local.sh makes the secret at each start and
#    passes the hash as AUTH_<NAME>_CLIENT_SECRET_HASH; Compose takes both from .env.
CLIENT_PREFIX=$(printf '%s' "$NAME" | tr 'a-z-' 'A-Z_')
python3 - "$NAME" "$CLIENT_PREFIX" <<'PY'
import sys
name, prefix = sys.argv[1:3]
path = "auth-server/src/main/resources/application.yml"
text = open(path).read()
marker = "\ncloudref:\n"
if marker not in text or f"          {name}:\n" in text:
    sys.exit(f"{path}: no 'cloudref:' section after the clients, or a client {name} already")
client = f"""          {name}:
            registration:
              client-id: {name}
              client-secret: ${{AUTH_{prefix}_CLIENT_SECRET_HASH:}}
              client-authentication-methods: client_secret_basic
              authorization-grant-types: client_credentials
              scopes: users:read
            token:
              access-token-time-to-live: ${{AUTH_ACCESS_TOKEN_TTL:5m}}
"""
head, tail = text.split(marker, 1)
open(path, "w").write(head.rstrip("\n") + "\n" + client + marker + tail)
path = "docker-compose.yml"
text = open(path).read()
block_start = text.index(f"  {name}:\n")
at = text.index("      <<: *service-env\n", block_start) + len("      <<: *service-env\n")
text = text[:at] + f"      OAUTH2_CLIENT_SECRET: ${{{prefix}_CLIENT_SECRET:?{prefix}_CLIENT_SECRET is not set (see docs/docker.md)}}\n" + text[at:]
auth_anchor = "      AUTH_KEYS_DIR: /var/lib/auth-server/keys\n"
if auth_anchor not in text:
    sys.exit("docker-compose.yml: no AUTH_KEYS_DIR line in the auth-server service")
text = text.replace(auth_anchor, f"      AUTH_{prefix}_CLIENT_SECRET_HASH: ${{AUTH_{prefix}_CLIENT_SECRET_HASH:?AUTH_{prefix}_CLIENT_SECRET_HASH is not set (see docs/docker.md)}}\n" + auth_anchor, 1)
open(path, "w").write(text)
PY

# 5. The image recipe's default list of apps to package.
sed -i "s/^ARG APP_MODULES=\(.*\)\$/ARG APP_MODULES=\1,$NAME/" Dockerfile

# 6. The build enforces spring-javaformat, whose line wrapping depends on the names just
#    chosen: format the new module and its system test. Twice, because the formatter
#    finishes some constructs (a one-line Javadoc that grew too long) only on its second
#    pass; then check, as the build will.
./mvnw -B -q -pl "$NAME,system-tests" spring-javaformat:apply
./mvnw -B -q -pl "$NAME,system-tests" spring-javaformat:apply
./mvnw -B -q -pl "$NAME,system-tests" spring-javaformat:validate

cat <<DONE
new-service: $NAME is ready:
  $NAME/                       the module (package $PACKAGE)
  pom.xml                      <module>$NAME</module>
  $SYSTEM_TEST
                               its system test: registered, called through the gateway
  $CONFIG_FILE     its file in the config repository (served by the config server)
  launcher/apps.conf           $NAME service $PORT $MGMT_PORT 1 $DATABASE $PROBE
  docker-compose.yml           service $NAME, database $DATABASE (role ${DATABASE}_service)
  docker/postgres/init-databases.sh, Dockerfile (APP_MODULES)
  auth-server/src/main/resources/application.yml
                               its OAuth client $NAME (scope users:read), secret hash from
                               AUTH_${CLIENT_PREFIX}_CLIENT_SECRET_HASH (Compose: .env, docs/docker.md)
Next:
  ./mvnw -pl $NAME verify      its tests
  ./run-local.sh --build       the system with it; then, with the key and certificate it prints:
  curl --cacert .local/certs/gateway.crt -H "X-API-Key: \$KEY" https://localhost:8443/api/$RESOURCES?ownerId=<user id>
DONE
