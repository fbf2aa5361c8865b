-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
CREATE TABLE users (
    id         UUID                     PRIMARY KEY,
    name       VARCHAR(100)             NOT NULL,
    email      VARCHAR(254)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);

CREATE INDEX users_created_at_idx ON users (created_at, id);
