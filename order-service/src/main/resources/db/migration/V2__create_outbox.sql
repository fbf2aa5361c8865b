-- The transactional outbox (docs/events.md): an event row is written in the transaction
-- that stores the order, and the relay publishes it to the broker afterwards, marking it
-- published once the broker confirmed it. Portable between H2 and PostgreSQL.
CREATE TABLE outbox_events (
    id              UUID                     PRIMARY KEY,
    event_type      VARCHAR(64)              NOT NULL,
    routing_key     VARCHAR(255)             NOT NULL,
    payload         VARCHAR(8192)            NOT NULL,
    -- The W3C traceparent of the request that stored the event, so that its trace goes on
    -- through the broker to the consumers.
    traceparent     VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at    TIMESTAMP WITH TIME ZONE
);

-- The relay reads the oldest unpublished rows first.
CREATE INDEX outbox_events_unpublished_idx ON outbox_events (published_at, created_at);
