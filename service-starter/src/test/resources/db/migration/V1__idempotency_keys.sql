-- The idempotency_keys table as a service creates it (see the package documentation of
-- dev.cloudref.starter.idempotency), and a table of resources for the tests to create.
CREATE TABLE things (
    id   UUID        PRIMARY KEY,
    name VARCHAR(64) NOT NULL
);

CREATE TABLE idempotency_keys (
    -- Who sent the key (the gateway's Caller-Id header; '' when no caller is named):
    -- two callers' equal keys are two keys.
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
    CONSTRAINT idempotency_keys_state CHECK (
        (resource_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
        OR (resource_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL))
);

CREATE INDEX idempotency_keys_completed_at_idx ON idempotency_keys (completed_at);
