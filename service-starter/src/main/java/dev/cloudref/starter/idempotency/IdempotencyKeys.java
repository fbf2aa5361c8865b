package dev.cloudref.starter.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.discovery.HealthCheckProbeProperties;
import dev.cloudref.starter.observability.TraceLogging;
import dev.cloudref.starter.web.CallerId;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Makes creating a resource by {@code POST} idempotent per caller and
 * {@code Idempotency-Key} (IETF draft "The Idempotency-Key HTTP Header Field"): each key
 * is claimed under a lease in {@code idempotency_keys}. Most handlers need only
 * {@link #execute}.
 */
public class IdempotencyKeys {

	/** The request header (IETF draft "The Idempotency-Key HTTP Header Field"). */
	public static final String HEADER = "Idempotency-Key";

	/**
	 * What a valid key looks like: 1 to 255 visible ASCII characters (the column's size).
	 */
	public static final String KEY_PATTERN = "[\\x21-\\x7E]{1,255}";

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

	private final R2dbcEntityOperations database;

	private final DatabaseClient sql;

	private final TransactionalOperator transactions;

	private final IdempotencyProperties properties;

	private final Clock clock;

	private final ClaimHolders holders;

	/**
	 * @param database the service's database, holding {@code idempotency_keys}
	 * @param transactions the transactions of that database
	 * @param properties lease and retention
	 * @param clock the time source of leases and retention
	 * @param self this instance's base URL as other instances reach it (e.g.
	 * {@code http://10.0.0.5:8080}), recorded with its claims; null when unknown, then
	 * its claims are only taken over after their lease
	 * @param probe timeouts of the probe that asks a claim's holder whether it is alive
	 */
	public IdempotencyKeys(R2dbcEntityOperations database, TransactionalOperator transactions,
			IdempotencyProperties properties, Clock clock, String self, HealthCheckProbeProperties probe) {
		this(database, transactions, properties, clock, new ClaimHolders(self, probe));
	}

	IdempotencyKeys(R2dbcEntityOperations database, TransactionalOperator transactions,
			IdempotencyProperties properties, Clock clock, ClaimHolders holders) {
		this.database = database;
		this.sql = database.getDatabaseClient();
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
		this.holders = holders;
	}

	/**
	 * A request's fingerprint, to tell a repeated request from a different one that
	 * reuses a key.
	 * @param parts the request's canonical form, e.g. its body's fields in a fixed order
	 * (each as {@code String.valueOf})
	 * @return SHA-256 (64 hex digits) of the parts joined by {@code \n}
	 */
	public static String fingerprint(Object... parts) {
		String canonical = Arrays.stream(parts).map(String::valueOf).collect(Collectors.joining("\n"));
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JDK", ex);
		}
	}

	/**
	 * Creates a resource at most once per key: the whole {@code POST} handling of a
	 * request with an optional {@code Idempotency-Key}.
	 *
	 * <p>
	 * Without a key, {@code create} just runs. With a key that is new (or released, or
	 * whose holder is gone), {@code create} runs under a claim, must store the resource
	 * through the {@link Completion} it is given, and the key is released if it fails or
	 * is cancelled. With a key completed for the same fingerprint, {@code create} does
	 * not run and {@code findCreated} loads the earlier resource.
	 * @param caller who sent the request ({@link CallerId#of}; {@code ""} when unnamed),
	 * at most 255 characters
	 * @param key the request's {@code Idempotency-Key}, or null if it has none
	 * @param fingerprint the request's {@link #fingerprint(Object...)}
	 * @param findCreated loads a resource by the id {@link Completion#store} stored (as
	 * text)
	 * @param create checks what it must (other services first), then stores the resource
	 * with {@link Completion#store}
	 * @param <T> the resource's type
	 * @return the resource and whether it was replayed; errors with what {@code create}
	 * errored with, with {@link IdempotencyKeyInFlightException} ({@code 409}) while
	 * another request holds the key, or with {@link IdempotencyKeyReusedException}
	 * ({@code 422}) if the key was used with a different fingerprint
	 */
	public <T> Mono<Outcome<T>> execute(String caller, String key, String fingerprint,
			Function<String, Mono<T>> findCreated, Function<Completion<T>, Mono<T>> create) {
		if (key == null) {
			return Mono.defer(() -> create.apply(new Completion<>(null, null)))
				.map(created -> new Outcome<>(created, false));
		}
		return claim(caller, key, fingerprint).flatMap(claim -> claim.isCompleted() ? replay(claim, findCreated)
				: releasingOnFailure(claim, Mono.defer(() -> create.apply(new Completion<>(this, claim))))
					.map(created -> new Outcome<>(created, false)));
	}

	/**
	 * Claims a key for a request.
	 * @param caller who sent the request ({@code ""} when unnamed)
	 * @param key the {@code Idempotency-Key}
	 * @param fingerprint a hash of the request's body
	 * @return a claim this request holds if the key is new, was released, or its holder's
	 * lease ran out; a completed claim if a request with the same fingerprint completed
	 * under the key. Errors with {@link IdempotencyKeyInFlightException} while another
	 * request holds the key, {@link IdempotencyKeyReusedException} if the key was claimed
	 * or completed for a different fingerprint.
	 */
	public Mono<Claim> claim(String caller, String key, String fingerprint) {
		String scope = CallerId.of(caller);
		return insertClaim(scope, key, fingerprint).onErrorResume(DuplicateKeyException.class,
				taken -> claimExisting(scope, key, fingerprint));
	}

	/**
	 * Runs {@code write} and marks the claim completed with the id of the resource it
	 * created, in one transaction: both are stored or neither.
	 * @param claim a claim this request holds
	 * @param write creates the resource
	 * @param resourceId the id of what {@code write} created; stored as
	 * {@code toString()}, at most 255 characters
	 * @param <T> what {@code write} emits
	 * @return what {@code write} emitted; errors with what it errored with, or with
	 * {@link IdempotencyKeyInFlightException} if the claim was taken over meanwhile
	 */
	public <T> Mono<T> complete(Claim claim, Mono<T> write, Function<? super T, ?> resourceId) {
		return transactions.transactional(write
			.flatMap(result -> markCompleted(claim, Objects.toString(resourceId.apply(result))).thenReturn(result)));
	}

	/**
	 * Releases the claim if {@code work} fails or is cancelled, so that the client's
	 * retry with the key can proceed at once instead of after the lease.
	 * @param claim a claim this request holds
	 * @param work the request's work, ending with {@link #complete}
	 * @param <T> what {@code work} emits
	 * @return {@code work}, which errors as before once the claim is released
	 */
	public <T> Mono<T> releasingOnFailure(Claim claim, Mono<T> work) {
		return work.onErrorResume(failure -> release(claim).then(Mono.error(failure)))
			.doOnCancel(() -> release(claim).subscribe());
	}

	/**
	 * Deletes the keys completed longer than the retention ago, and claims whose lease
	 * ended that long ago (their request died and was never retried). Safe to run on
	 * several instances at once: each row is deleted once, by whichever gets to it.
	 * @return how many keys were deleted
	 */
	public Mono<Long> deleteExpired() {
		Instant cutoff = now().minus(properties.retention());
		return sql.sql("""
				DELETE FROM idempotency_keys
				WHERE completed_at < :cutoff OR (resource_id IS NULL AND locked_until < :cutoff)""")
			.bind("cutoff", cutoff)
			.fetch()
			.rowsUpdated();
	}

	private <T> Mono<Outcome<T>> replay(Claim claim, Function<String, Mono<T>> findCreated) {
		return findCreated.apply(claim.resourceId())
			.handle(TraceLogging.<T>onNext(
					found -> log.info("Replayed resource {} for Idempotency-Key {}", claim.resourceId(), claim.key())))
			.map(found -> new Outcome<>(found, true));
	}

	private Mono<Claim> insertClaim(String caller, String key, String fingerprint) {
		Instant now = now();
		IdempotencyKey row = new IdempotencyKey(caller, key, fingerprint, UUID.randomUUID(), now,
				now.plus(properties.lease()), null, null, holders.self());
		return database.insert(row).map(stored -> Claim.held(caller, key, stored.claimToken()));
	}

	private Mono<Claim> claimExisting(String caller, String key, String fingerprint) {
		Query row = Query.query(Criteria.where("caller").is(caller).and("idempotency_key").is(key));
		return database.selectOne(row, IdempotencyKey.class)
			.flatMap(existing -> decide(existing, fingerprint))
			// Released between the insert and the read: try once more.
			.switchIfEmpty(Mono.defer(() -> insertClaim(caller, key, fingerprint)
				.onErrorMap(DuplicateKeyException.class, taken -> new IdempotencyKeyInFlightException(key))));
	}

	private Mono<Claim> decide(IdempotencyKey existing, String fingerprint) {
		String key = existing.idempotencyKey();
		if (!existing.requestHash().equals(fingerprint)) {
			// Completed, in flight or abandoned: the key names another request. Taking
			// over an abandoned claim with a different body would let the retry of the
			// original request, arriving later, replay a resource it did not ask for.
			return Mono.error(new IdempotencyKeyReusedException(key));
		}
		if (existing.isCompleted()) {
			return Mono.just(Claim.completed(existing.caller(), key, existing.resourceId()));
		}
		if (!existing.isLeasedAt(now())) {
			return takeOver(existing, fingerprint);
		}
		// In flight, unless the instance holding it crashed: then no one will finish it.
		return holders.isGone(existing.holder())
			.flatMap(gone -> gone ? takeOver(existing, fingerprint)
					: Mono.error(new IdempotencyKeyInFlightException(key)));
	}

	/** Takes over a claim whose lease ran out; of several takers exactly one wins. */
	private Mono<Claim> takeOver(IdempotencyKey expired, String fingerprint) {
		String key = expired.idempotencyKey();
		UUID token = UUID.randomUUID();
		Instant now = now();
		return sql
			.sql("""
					UPDATE idempotency_keys
					SET claim_token = :token, request_hash = :hash, created_at = :now, locked_until = :lockedUntil,
					    holder = :holder
					WHERE caller = :caller AND idempotency_key = :key AND claim_token = :previous AND resource_id IS NULL""")
			.bind("token", token)
			.bind("hash", fingerprint)
			.bind("caller", expired.caller())
			.bind("now", now)
			.bind("lockedUntil", now.plus(properties.lease()))
			.bind("holder", holderOf())
			.bind("key", key)
			.bind("previous", expired.claimToken())
			.fetch()
			.rowsUpdated()
			.flatMap(updated -> (updated == 1) ? Mono.just(Claim.held(expired.caller(), key, token))
					: Mono.error(new IdempotencyKeyInFlightException(key)))
			.handle(TraceLogging.<Claim>onNext(claim -> log.warn(
					"Took over Idempotency-Key {}: its claim of {} by {} (lease until {}) was abandoned", key,
					expired.createdAt(), expired.holder(), expired.lockedUntil())));
	}

	private Mono<Void> markCompleted(Claim claim, String resourceId) {
		return sql.sql("""
				UPDATE idempotency_keys
				SET resource_id = :resourceId, completed_at = :now, locked_until = NULL
				WHERE caller = :caller AND idempotency_key = :key AND claim_token = :token AND resource_id IS NULL""")
			.bind("resourceId", resourceId)
			.bind("now", now())
			.bind("caller", claim.caller())
			.bind("key", claim.key())
			.bind("token", claim.token())
			.fetch()
			.rowsUpdated()
			// Lost the claim (lease ran out, another request took over): store nothing.
			.flatMap(updated -> (updated == 1) ? Mono.<Void>empty()
					: Mono.error(new IdempotencyKeyInFlightException(claim.key())));
	}

	private Mono<Void> release(Claim claim) {
		return sql.sql("""
				DELETE FROM idempotency_keys
				WHERE caller = :caller AND idempotency_key = :key AND claim_token = :token AND resource_id IS NULL""")
			.bind("caller", claim.caller())
			.bind("key", claim.key())
			.bind("token", claim.token())
			.fetch()
			.rowsUpdated()
			.handle(TraceLogging
				.<Long>onNext(deleted -> log.debug("Released Idempotency-Key {} ({} row)", claim.key(), deleted)))
			.then()
			.onErrorResume(failure -> TraceLogging
				.logged(() -> log.warn("Could not release Idempotency-Key {}; it is free again when its lease ends: {}",
						claim.key(), failure.getMessage())));
	}

	/**
	 * @return this instance as a bind value: its address, or a typed null
	 */
	private Parameter holderOf() {
		return Parameter.fromOrEmpty(holders.self(), String.class);
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
