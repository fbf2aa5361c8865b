package dev.cloudref.starter.idempotency;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.cloudref.starter.data.UnquotedIdentifiersAutoConfiguration;
import dev.cloudref.starter.discovery.HealthCheckProbeProperties;
import dev.cloudref.starter.web.CallerId;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.data.annotation.Id;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.relational.core.query.Query;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link IdempotencyKeys} against the starter's own {@code idempotency_keys} migration
 * (added to the test's {@code db/migration} by
 * {@link IdempotencyMigrationAutoConfiguration}) on an in-memory H2 database, creating
 * {@link Thing}s, with a clock the tests move forward.
 */
@DataR2dbcTest(properties = { "spring.r2dbc.url=r2dbc:h2:mem:///idempotency_keys_test;DB_CLOSE_DELAY=-1",
		"spring.flyway.url=jdbc:h2:mem:idempotency_keys_test;DB_CLOSE_DELAY=-1" })
@ImportAutoConfiguration({ IdempotencyMigrationAutoConfiguration.class, FlywayAutoConfiguration.class,
		UnquotedIdentifiersAutoConfiguration.class })
class IdempotencyKeysTest {

	private static final String SELF = "http://127.0.0.1:1";

	private static final Duration LEASE = Duration.ofSeconds(10);

	private static final Duration RETENTION = Duration.ofHours(24);

	private static final String CALLER = "api-key:test";

	private static final String OTHER_CALLER = "api-key:other";

	private static final String BODY = "a".repeat(64);

	private static final String OTHER_BODY = "b".repeat(64);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	@Autowired
	R2dbcEntityTemplate database;

	@Autowired
	TransactionalOperator transactions;

	final MovableClock clock = new MovableClock();

	IdempotencyKeys keys;

	@BeforeEach
	void keys() {
		keys = keysHeldBy(SELF);
	}

	@Test
	void takesOverAtOnceAKeyWhoseHolderIsGone() throws Exception {
		String key = newKey();
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Claim crashed = keysHeldBy("http://127.0.0.1:" + closedPort).claim(CALLER, key, BODY).block();

		Claim retried = keys.claim(CALLER, key, BODY).block();

		assertThat(retried.isCompleted()).isFalse();
		assertThat(retried.token()).isNotEqualTo(crashed.token());
	}

	@Test
	void keepsAKeyInFlightWhileItsHolderStillAnswers() throws Exception {
		HttpServer alive = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		alive.createContext("/readyz", exchange -> {
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		alive.start();
		try {
			String key = newKey();
			keysHeldBy("http://127.0.0.1:" + alive.getAddress().getPort()).claim(CALLER, key, BODY).block();

			assertThatThrownBy(() -> keys.claim(CALLER, key, BODY).block())
				.isInstanceOf(IdempotencyKeyInFlightException.class);
		}
		finally {
			alive.stop(0);
		}
	}

	/**
	 * Issue 19: a holder whose probe times out is slow, not gone. The port accepts
	 * connections (the kernel completes them into the backlog) but never answers.
	 */
	@Test
	void keepsAKeyInFlightWhileItsHoldersProbeTimesOut() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String key = newKey();
			keysHeldBy("http://127.0.0.1:" + silent.getLocalPort()).claim(CALLER, key, BODY).block();

			long start = System.nanoTime();
			assertThatThrownBy(() -> keys.claim(CALLER, key, BODY).block())
				.isInstanceOf(IdempotencyKeyInFlightException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the probe waited for its timeout")
				.isGreaterThanOrEqualTo(PROBE_TIMEOUT.minusMillis(100));
		}
	}

	@Test
	void takesOverAtOnceAKeyWhoseHolderResetsTheConnection() throws Exception {
		try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread resetter = new Thread(() -> {
				while (!resetting.isClosed()) {
					try (Socket accepted = resetting.accept()) {
						// Linger 0: close sends RST instead of FIN.
						accepted.setSoLinger(true, 0);
						accepted.getInputStream().read();
					}
					catch (IOException closed) {
						// the test is over
					}
				}
			}, "resetter");
			resetter.setDaemon(true);
			resetter.start();
			String key = newKey();
			Claim crashed = keysHeldBy("http://127.0.0.1:" + resetting.getLocalPort()).claim(CALLER, key, BODY).block();

			Claim retried = keys.claim(CALLER, key, BODY).block();

			assertThat(retried.isCompleted()).isFalse();
			assertThat(retried.token()).isNotEqualTo(crashed.token());
			resetting.close();
			resetter.join(5_000);
		}
	}

	private IdempotencyKeys keysHeldBy(String holder) {
		return new IdempotencyKeys(database, transactions,
				new IdempotencyProperties(true, LEASE, RETENTION, Duration.ofHours(1)), clock,
				new ClaimHolders(holder, new HealthCheckProbeProperties(true, PROBE_TIMEOUT, PROBE_TIMEOUT, 0.5)));
	}

	@Test
	void holdsANewKeyAndReplaysItsResourceOnceCompleted() {
		String key = newKey();
		Claim claim = keys.claim(CALLER, key, BODY).block();
		assertThat(claim.isCompleted()).isFalse();
		assertThat(claim.token()).isNotNull();

		Thing thing = keys.complete(claim, insert(newThing()), Thing::id).block();

		assertThat(keys.claim(CALLER, key, BODY).block())
			.isEqualTo(Claim.completed(CALLER, key, thing.id().toString()));
		assertThat(stored(thing)).isTrue();
	}

	@Test
	void refusesAKeyCompletedForADifferentBody() {
		String key = completedKey(BODY);

		StepVerifier.create(keys.claim(CALLER, key, OTHER_BODY))
			.expectError(IdempotencyKeyReusedException.class)
			.verify();
	}

	@Test
	void answersInFlightWhileAnotherRequestHoldsTheKeyAndRefusesADifferentBodyAtOnce() {
		String key = newKey();
		keys.claim(CALLER, key, BODY).block();
		clock.advance(LEASE.minusMillis(1));

		StepVerifier.create(keys.claim(CALLER, key, BODY)).expectError(IdempotencyKeyInFlightException.class).verify();
		StepVerifier.create(keys.claim(CALLER, key, OTHER_BODY))
			.expectError(IdempotencyKeyReusedException.class)
			.verify();
	}

	/** Issue 19: the key table's primary key was the key alone. */
	@Test
	void scopesKeysByCallerSoThatNoCallerReplaysOrBlocksAnothersKey() {
		String key = newKey();
		Claim first = keys.claim(CALLER, key, BODY).block();

		Claim other = keys.claim(OTHER_CALLER, key, OTHER_BODY).block();
		assertThat(other.isCompleted()).as("another caller's key in flight does not block").isFalse();
		Thing mine = keys.complete(first, insert(newThing()), Thing::id).block();
		Thing theirs = keys.complete(other, insert(newThing()), Thing::id).block();

		assertThat(keys.claim(CALLER, key, BODY).block()).isEqualTo(Claim.completed(CALLER, key, mine.id().toString()));
		assertThat(keys.claim(OTHER_CALLER, key, OTHER_BODY).block())
			.isEqualTo(Claim.completed(OTHER_CALLER, key, theirs.id().toString()));
		assertThat(keys.claim(CallerId.UNNAMED, key, BODY).block().isCompleted())
			.as("a request that names no caller is a third scope")
			.isFalse();
		// null is the unnamed caller, whose claim on the key is now in flight.
		StepVerifier.create(keys.claim(null, key, BODY)).expectError(IdempotencyKeyInFlightException.class).verify();
	}

	@Test
	void refusesToTakeOverAnAbandonedClaimWithADifferentBody() {
		String key = newKey();
		Claim abandoned = keys.claim(CALLER, key, BODY).block();
		clock.advance(LEASE);

		StepVerifier.create(keys.claim(CALLER, key, OTHER_BODY))
			.expectError(IdempotencyKeyReusedException.class)
			.verify();

		Claim retried = keys.claim(CALLER, key, BODY).block();
		assertThat(retried.isCompleted()).isFalse();
		assertThat(retried.token()).isNotEqualTo(abandoned.token());
	}

	@Test
	void letsExactlyOneOfConcurrentRequestsHoldANewKey() {
		String key = newKey();

		List<Signal<Claim>> outcomes = concurrently(8, () -> keys.claim(CALLER, key, BODY));

		assertThat(outcomes).filteredOn(Signal::isOnNext).hasSize(1);
		assertThat(outcomes).filteredOn(Signal::isOnError)
			.hasSize(7)
			.allSatisfy(
					outcome -> assertThat(outcome.getThrowable()).isInstanceOf(IdempotencyKeyInFlightException.class));
	}

	@Test
	void takesOverAClaimWhoseLeaseRanOutAndStoresNothingForItsFormerHolder() {
		String key = newKey();
		Claim crashedOrSlow = keys.claim(CALLER, key, BODY).block();
		clock.advance(LEASE);

		Claim takenOver = keys.claim(CALLER, key, BODY).block();

		assertThat(takenOver.isCompleted()).isFalse();
		assertThat(takenOver.token()).isNotEqualTo(crashedOrSlow.token());
		Thing late = newThing();
		StepVerifier.create(keys.complete(crashedOrSlow, insert(late), Thing::id))
			.expectError(IdempotencyKeyInFlightException.class)
			.verify();
		assertThat(stored(late)).isFalse();
		Thing thing = keys.complete(takenOver, insert(newThing()), Thing::id).block();
		assertThat(keys.claim(CALLER, key, BODY).block())
			.isEqualTo(Claim.completed(CALLER, key, thing.id().toString()));
	}

	@Test
	void letsExactlyOneOfConcurrentRequestsTakeOverAnExpiredClaim() {
		String key = newKey();
		keys.claim(CALLER, key, BODY).block();
		clock.advance(LEASE.plusSeconds(1));

		List<Signal<Claim>> outcomes = concurrently(8, () -> keys.claim(CALLER, key, BODY));

		assertThat(outcomes).filteredOn(Signal::isOnNext).hasSize(1);
		assertThat(outcomes).filteredOn(Signal::isOnError)
			.hasSize(7)
			.allSatisfy(
					outcome -> assertThat(outcome.getThrowable()).isInstanceOf(IdempotencyKeyInFlightException.class));
	}

	@Test
	void storesNeitherResourceNorKeyWhenTheTransactionFailsAndReleasesTheKey() {
		String key = newKey();
		Claim claim = keys.claim(CALLER, key, BODY).block();
		Thing thing = newThing();
		Mono<Thing> failing = keys.complete(claim,
				insert(thing).flatMap(inserted -> Mono.error(new IllegalStateException("database failed"))), Thing::id);

		StepVerifier.create(keys.releasingOnFailure(claim, failing)).expectErrorMessage("database failed").verify();

		assertThat(stored(thing)).isFalse();
		assertThat(row(key)).isNull();
		assertThat(keys.claim(CALLER, key, OTHER_BODY).block().isCompleted()).isFalse();
	}

	@Test
	void releasesTheKeyWhenTheRequestIsCancelled() {
		String key = newKey();
		Claim claim = keys.claim(CALLER, key, BODY).block();

		Disposable request = keys.releasingOnFailure(claim, Mono.never()).subscribe();
		request.dispose();

		await().atMost(Duration.ofSeconds(5)).until(() -> row(key) == null);
	}

	@Test
	void keepsACompletedKeyWhenItsRequestFailsLater() {
		String key = newKey();
		Claim claim = keys.claim(CALLER, key, BODY).block();
		Mono<Thing> completedThenFailed = keys.complete(claim, insert(newThing()), Thing::id)
			.then(Mono.error(new IllegalStateException("response lost")));

		StepVerifier.create(keys.releasingOnFailure(claim, completedThenFailed)).expectError().verify();

		assertThat(keys.claim(CALLER, key, BODY).block().isCompleted()).isTrue();
	}

	@Test
	void deletesKeysCompletedLongerThanTheRetentionAgoAndKeepsYoungerOnes() {
		String old = completedKey(BODY);
		clock.advance(Duration.ofHours(1));
		String young = completedKey(BODY);
		clock.advance(RETENTION.minus(Duration.ofMinutes(30)));

		keys.deleteExpired().block();

		assertThat(row(old)).isNull();
		assertThat(row(young)).isNotNull();
		assertThat(keys.claim(CALLER, old, OTHER_BODY).block().isCompleted()).as("an expired key is new again")
			.isFalse();
	}

	@Test
	void deletesAbandonedClaimsAfterTheRetentionButNotClaimsInFlight() {
		String abandoned = newKey();
		keys.claim(CALLER, abandoned, BODY).block();
		clock.advance(RETENTION.plus(LEASE).plusSeconds(1));
		String inFlight = newKey();
		keys.claim(CALLER, inFlight, BODY).block();

		keys.deleteExpired().block();

		assertThat(row(abandoned)).isNull();
		assertThat(row(inFlight)).isNotNull();
	}

	@Test
	void executesACreationOnceAndReplaysItsResourceForTheSameKeyAndBody() {
		String key = newKey();

		Outcome<Thing> first = keys.execute(CALLER, key, BODY, this::find, storing(newThing())).block();
		Outcome<Thing> repeated = keys.execute(CALLER, key, BODY, this::find, storing(newThing())).block();

		assertThat(first.replayed()).isFalse();
		assertThat(repeated.replayed()).isTrue();
		assertThat(repeated.resource()).isEqualTo(first.resource());
		assertThat(database.count(Query.empty(), Thing.class).block()).isGreaterThanOrEqualTo(1);
		assertThat(stored(first.resource())).isTrue();
	}

	@Test
	void executesWithoutAKeyByJustCreating() {
		Thing thing = newThing();

		Outcome<Thing> outcome = keys.execute(CALLER, null, BODY, this::find, storing(thing)).block();

		assertThat(outcome).isEqualTo(new Outcome<>(thing, false));
		assertThat(stored(thing)).isTrue();
	}

	@Test
	void executesACreationThatFailsBeforeStoringByReleasingTheKey() {
		String key = newKey();

		StepVerifier
			.create(keys.execute(CALLER, key, BODY, this::find,
					completion -> Mono.<Thing>error(new IllegalStateException("other service down"))))
			.expectErrorMessage("other service down")
			.verify();

		assertThat(row(key)).isNull();
		assertThat(keys.execute(CALLER, key, OTHER_BODY, this::find, storing(newThing())).block().replayed()).isFalse();
	}

	@Test
	void refusesToExecuteUnderAKeyCompletedForADifferentBody() {
		String key = completedKey(BODY);

		StepVerifier.create(keys.execute(CALLER, key, OTHER_BODY, this::find, storing(newThing())))
			.expectError(IdempotencyKeyReusedException.class)
			.verify();
	}

	@Test
	void fingerprintsTheCanonicalFormAsSha256Hex() {
		assertThat(IdempotencyKeys.fingerprint("a", 1)).hasSize(64)
			.matches("[0-9a-f]{64}")
			.isEqualTo(IdempotencyKeys.fingerprint("a\n1"))
			.isNotEqualTo(IdempotencyKeys.fingerprint("a", 2));
	}

	private Function<Completion<Thing>, Mono<Thing>> storing(Thing thing) {
		return completion -> completion.store(insert(thing), Thing::id);
	}

	private Mono<Thing> find(String id) {
		return database.selectOne(Query.query(Criteria.where("id").is(UUID.fromString(id))), Thing.class);
	}

	private String completedKey(String body) {
		String key = newKey();
		Claim claim = keys.claim(CALLER, key, body).block();
		keys.complete(claim, insert(newThing()), Thing::id).block();
		return key;
	}

	private Mono<Thing> insert(Thing thing) {
		return database.insert(thing);
	}

	private static Thing newThing() {
		return new Thing(UUID.randomUUID(), "thing");
	}

	private boolean stored(Thing thing) {
		return Boolean.TRUE
			.equals(database.exists(Query.query(Criteria.where("id").is(thing.id())), Thing.class).block());
	}

	private IdempotencyKey row(String key) {
		return database.selectOne(Query.query(Criteria.where("idempotency_key").is(key)), IdempotencyKey.class).block();
	}

	/** Subscribes to {@code count} copies of a call at once, each on its own thread. */
	private static <T> List<Signal<T>> concurrently(int count, Supplier<Mono<T>> call) {
		return Flux.range(0, count)
			.flatMap(i -> Mono.defer(call).materialize().subscribeOn(Schedulers.boundedElastic()), count)
			.collectList()
			.block(Duration.ofSeconds(20));
	}

	private static String newKey() {
		return "key-" + UUID.randomUUID();
	}

	/** The test's application: only what {@link DataR2dbcTest} configures. */
	@SpringBootConfiguration
	@AutoConfigurationPackage
	static class Application {

	}

	/** What the tests create under their keys. */
	@Table("things")
	record Thing(@Id UUID id, String name) {
	}

	/** A clock that stands still until a test moves it. */
	private static final class MovableClock extends Clock {

		private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
