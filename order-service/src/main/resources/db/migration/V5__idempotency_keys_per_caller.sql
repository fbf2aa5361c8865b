-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
-- Idempotency keys are scoped by caller (issue 19): the key alone was the primary key, so
-- a second client that reused a key got the first client's order replayed, or was
-- blocked by its claim. The table is rebuilt with the primary key (caller, key), since
-- the old primary key's constraint name differs between H2 and PostgreSQL. Keys stored
-- before this migration belong to the unnamed caller ''; they expire with the retention.
CREATE TABLE idempotency_keys_v5 (
    caller          VARCHAR(255)             NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    request_hash    CHAR(64)                 NOT NULL,
    claim_token     UUID                     NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until    TIMESTAMP WITH TIME ZONE,
    resource_id     VARCHAR(255),
    completed_at    TIMESTAMP WITH TIME ZONE,
    holder          VARCHAR(255),
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (caller, idempotency_key),
    CONSTRAINT idempotency_keys_v5_state CHECK (
        (resource_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
        OR (resource_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL))
);

INSERT INTO idempotency_keys_v5 (caller, idempotency_key, request_hash, claim_token, created_at, locked_until,
    resource_id, completed_at, holder)
SELECT '', idempotency_key, request_hash, claim_token, created_at, locked_until, resource_id, completed_at, holder
FROM idempotency_keys;

DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v5 RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_completed_at_idx ON idempotency_keys (completed_at);
