-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
CREATE TABLE ${resources} (
    id         UUID                     PRIMARY KEY,
    name       VARCHAR(100)             NOT NULL,
    owner_id   UUID                     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ${resources}_owner_idx ON ${resources} (owner_id, created_at);

-- The idempotency_keys table of POST /${resources}'s Idempotency-Key handling comes from
-- service-starter's own migration (db/cloudref/idempotency, added to the locations by
-- IdempotencyMigrationAutoConfiguration).
