-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
-- Idempotency keys move out of orders into a table of their own, so that a key can be
-- claimed before its order exists: a claim in flight answers a concurrent retry with
-- 409, a failed request releases its claim, and completed keys expire.
CREATE TABLE idempotency_keys (
    idempotency_key VARCHAR(255)             PRIMARY KEY,
    -- SHA-256 (hex) of the claiming request's canonical body.
    request_hash    CHAR(64)                 NOT NULL,
    -- Random per claim: only its holder may complete or release it, so a request
    -- that outlived its lease cannot overwrite the claim of the one that took over.
    claim_token     UUID                     NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- In flight: the lease's end, after which another request may take the claim over.
    locked_until    TIMESTAMP WITH TIME ZONE,
    -- Completed: the order the key created, and when (retention counts from then).
    order_id        UUID                     REFERENCES orders (id),
    completed_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT idempotency_keys_state CHECK (
        (order_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
        OR (order_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL))
);

CREATE INDEX idempotency_keys_completed_at_idx ON idempotency_keys (completed_at);

-- Keys stored with their orders before this migration count as completed then; the
-- claim token of a completed key is never used again, so the order id serves.
INSERT INTO idempotency_keys (idempotency_key, request_hash, claim_token, created_at, order_id, completed_at)
SELECT idempotency_key, request_hash, id, created_at, id, created_at
FROM orders
WHERE idempotency_key IS NOT NULL;

ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_unique;
ALTER TABLE orders DROP COLUMN idempotency_key;
ALTER TABLE orders DROP COLUMN request_hash;
