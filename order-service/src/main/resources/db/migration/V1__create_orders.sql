-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
CREATE TABLE orders (
    id              UUID                     PRIMARY KEY,
    user_id         UUID                     NOT NULL,
    sku             VARCHAR(64)              NOT NULL,
    quantity        INTEGER                  NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    status          VARCHAR(20)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Idempotency-Key of the POST that created the order, and a hash of its body, so a
    -- repeated request returns this order and a different body with the same key is
    -- refused. The unique constraint makes concurrent duplicates collapse to one row.
    idempotency_key VARCHAR(255),
    request_hash    CHAR(64),
    CONSTRAINT orders_idempotency_key_unique UNIQUE (idempotency_key)
);

CREATE INDEX orders_user_id_idx ON orders (user_id, created_at);
