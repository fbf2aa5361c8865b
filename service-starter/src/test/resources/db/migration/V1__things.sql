-- A table of resources for the tests to create; idempotency_keys comes from the
-- starter's own migration (IdempotencyMigrationAutoConfiguration).
CREATE TABLE things (
    id   UUID        PRIMARY KEY,
    name VARCHAR(64) NOT NULL
);
