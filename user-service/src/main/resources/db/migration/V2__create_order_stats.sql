-- What user-service knows of its users' orders from the OrderPlaced events
-- (docs/events.md). Portable between H2 and PostgreSQL.

-- The events applied, one row each, written in the transaction that applies the event:
-- a redelivered event finds its row and changes nothing.
CREATE TABLE processed_events (
    event_id        UUID                     PRIMARY KEY,
    processed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE user_order_stats (
    user_id         UUID                     PRIMARY KEY,
    order_count     BIGINT                   NOT NULL,
    last_order_id   UUID                     NOT NULL,
    last_order_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
