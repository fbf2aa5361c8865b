-- service-starter's idempotency keys (dev.cloudref.starter.idempotency, RFC draft
-- "The Idempotency-Key HTTP Header Field"). Added to every service's Flyway locations by
-- IdempotencyMigrationAutoConfiguration; version 0.1 runs before the service's own V1.
CREATE TABLE idempotency_keys (
    -- Who sent the key (the gateway's Caller-Id header; '' when no caller is named):
    -- two callers' equal keys are two keys.
    caller          VARCHAR(255)             NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    -- SHA-256 (hex) of the claiming request's canonical body.
    request_hash    CHAR(64)                 NOT NULL,
    -- Random per claim: only its holder may complete or release it, so a request that
    -- outlived its lease cannot overwrite the claim of the one that took over.
    claim_token     UUID                     NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- In flight: the lease's end, after which another request may take the claim over.
    locked_until    TIMESTAMP WITH TIME ZONE,
    -- Completed: the id of what the key created, and when (retention counts from then).
    resource_id     VARCHAR(255),
    completed_at    TIMESTAMP WITH TIME ZONE,
    -- The instance that holds an in-flight claim (its registered address), probed
    -- before a claim is taken over early.
    holder          VARCHAR(255),
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (caller, idempotency_key),
    CONSTRAINT idempotency_keys_state CHECK (
        (resource_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
        OR (resource_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL))
);

CREATE INDEX idempotency_keys_completed_at_idx ON idempotency_keys (completed_at);
