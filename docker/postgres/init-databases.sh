#!/usr/bin/env bash
# Creates one database per service, each owned by its own login role, so that
# user-service cannot open the orders database and order-service cannot open users.
#
# The postgres image runs this once, from /docker-entrypoint-initdb.d, when the data
# directory is empty. Changing a password here later has no effect on an existing
# volume: remove it (docker compose down -v) or use ALTER ROLE.
#
# The image may source this file instead of executing it, so it sets no shell options
# and does not exit on success.

cloudref_create_service_db() {
    local database="$1" role="$2" password="$3"
    echo "cloudref: creating database ${database} owned by role ${role}"
    # Values are passed as psql variables and quoted by psql (:"ident", :'literal').
    psql -v ON_ERROR_STOP=1 --no-psqlrc \
         --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
         -v database="${database}" -v role="${role}" -v password="${password}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role" ENCODING 'UTF8';
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"role";
SQL
}

cloudref_create_service_db "${USERS_DB_NAME:-users}" "${USERS_DB_USER:-user_service}" \
    "${USERS_DB_PASSWORD:?USERS_DB_PASSWORD must be set}"
cloudref_create_service_db "${ORDERS_DB_NAME:-orders}" "${ORDERS_DB_USER:-order_service}" \
    "${ORDERS_DB_PASSWORD:?ORDERS_DB_PASSWORD must be set}"
