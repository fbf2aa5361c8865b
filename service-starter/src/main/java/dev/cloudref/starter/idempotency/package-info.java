/**
 * {@code Idempotency-Key} support for {@code POST} handlers (IETF draft "The
 * Idempotency-Key HTTP Header Field"): claim, lease, completion, replay of the created
 * resource, expiry and clean-up, across all instances of a service through its database.
 *
 * <p>A handler calls {@link dev.cloudref.starter.idempotency.IdempotencyKeys#execute}:
 * <pre>{@code
 * return idempotencyKeys.execute(caller, key, IdempotencyKeys.fingerprint(request.a(), request.b()),
 *         id -> things.findById(UUID.fromString(id)),
 *         completion -> checkOtherServices(request)
 *             .then(completion.store(database.insert(toThing(request)), Thing::id)))
 *     .map(outcome -> outcome.created(Locations.of("/things/{id}", outcome.resource().id())));
 * }</pre>
 *
 * <p>Keys are scoped by caller: {@code caller} is the value of the {@code Caller-Id}
 * header ({@link dev.cloudref.starter.web.CallerId}), which the gateway sets from the
 * authenticated API key and removes from what clients send. The same key from two
 * callers names two requests, so one client can neither replay nor block another's.
 *
 * <p>The service owns the table, in its own Flyway migration (portable between H2 and
 * PostgreSQL):
 * <pre>{@code
 * CREATE TABLE idempotency_keys (
 *     caller          VARCHAR(255)             NOT NULL,  -- who sent the key; '' if unnamed
 *     idempotency_key VARCHAR(255)             NOT NULL,
 *     request_hash    CHAR(64)                 NOT NULL,  -- the request's fingerprint
 *     claim_token     UUID                     NOT NULL,  -- random per claim
 *     created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
 *     locked_until    TIMESTAMP WITH TIME ZONE,           -- in flight: end of the lease
 *     resource_id     VARCHAR(255),                       -- completed: what it created
 *     completed_at    TIMESTAMP WITH TIME ZONE,
 *     holder          VARCHAR(255),                       -- in flight: holder's base URL
 *     CONSTRAINT idempotency_keys_pk PRIMARY KEY (caller, idempotency_key),
 *     CONSTRAINT idempotency_keys_state CHECK (
 *         (resource_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
 *         OR (resource_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL))
 * );
 * CREATE INDEX idempotency_keys_completed_at_idx ON idempotency_keys (completed_at);
 * }</pre>
 */
package dev.cloudref.starter.idempotency;
