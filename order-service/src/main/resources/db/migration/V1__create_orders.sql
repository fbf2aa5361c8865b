-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
CREATE TABLE orders (
    id              UUID                     PRIMARY KEY,
    user_id         UUID                     NOT NULL,
    sku             VARCHAR(64)              NOT NULL,
    quantity        INTEGER                  NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    status          VARCHAR(20)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX orders_user_id_idx ON orders (user_id, created_at);
