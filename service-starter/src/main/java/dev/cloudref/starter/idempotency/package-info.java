/**
 * {@code Idempotency-Key} support for {@code POST} handlers (IETF draft "The
 * Idempotency-Key HTTP Header Field"): claim, lease, completion, replay of the created
 * resource, expiry and clean-up, across all instances of a service through its database.
 *
 * <p>
 * A handler calls {@link dev.cloudref.starter.idempotency.IdempotencyKeys#execute}:
 * <pre>{@code
 * return idempotencyKeys.execute(caller, key, IdempotencyKeys.fingerprint(request.a(), request.b()),
 *         id -> things.findById(UUID.fromString(id)),
 *         completion -> checkOtherServices(request)
 *             .then(completion.store(database.insert(toThing(request)), Thing::id)))
 *     .map(outcome -> outcome.created(Locations.of("/things/{id}", outcome.resource().id())));
 * }</pre>
 *
 * <p>
 * Keys are scoped by caller: {@code caller} is the value of the {@code Caller-Id} header
 * ({@link dev.cloudref.starter.web.CallerId}), which the gateway sets from the
 * authenticated API key and removes from what clients send. The same key from two callers
 * names two requests, so one client can neither replay nor block another's.
 *
 * <p>
 * The table ({@code idempotency_keys}, portable between H2 and PostgreSQL) is the
 * starter's own Flyway migration,
 * {@code db/cloudref/idempotency/V0_1__cloudref_idempotency_keys.sql}, which
 * {@link IdempotencyMigrationAutoConfiguration} adds to every service's Flyway locations:
 * a service neither copies nor migrates it.
 */
package dev.cloudref.starter.idempotency;
