package dev.cloudref.order.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Publishes the outbox's events to the broker, oldest first, and marks each published
 * once the broker confirmed it (publisher confirms, mandatory routing: an event that no
 * queue took stays unpublished). Delivery is at least once: an event confirmed just
 * before a crash, or whose mark was lost, is published again, and consumers apply an
 * event id once.
 *
 * <p>
 * Runs on its own thread, woken after a stored order and every
 * {@code cloudref.outbox.poll-interval}. Several instances relay side by side: each round
 * locks the rows it publishes ({@code FOR UPDATE SKIP LOCKED}), so two instances never
 * publish the same rows at the same time.
 */
@Component
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private final DatabaseClient sql;

	private final TransactionalOperator transactions;

	private final RabbitTemplate rabbit;

	private final OutboxProperties properties;

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	private final MeterRegistry meters;

	private final Timer lag;

	private final Clock clock = Clock.systemUTC();

	private final AtomicBoolean wakePending = new AtomicBoolean();

	private volatile ScheduledExecutorService executor;

	private volatile Instant pausedUntil = Instant.MIN;

	private volatile String failure;

	private Instant nextCleanup = Instant.MIN;

	OutboxRelay(DatabaseClient sql, TransactionalOperator transactions, RabbitTemplate rabbit,
			OutboxProperties properties, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			MeterRegistry meters) {
		this.sql = sql;
		this.transactions = transactions;
		this.rabbit = rabbit;
		this.properties = properties;
		this.tracer = tracer;
		this.propagator = propagator;
		this.meters = meters;
		this.lag = Timer.builder("cloudref.outbox.lag")
			.description("From an event's commit in the outbox to the broker's confirm")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(meters);
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("outbox-relay-"));
		long interval = properties.pollInterval().toMillis();
		started.scheduleWithFixedDelay(this::relayAll, interval, interval, TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running != null) {
			running.shutdown();
			try {
				// A round in progress finishes (it is short); what it leaves is published
				// by another instance or at the next start.
				running.awaitTermination(properties.confirmTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	/**
	 * Stops after the web server (phase {@code Integer.MAX_VALUE - 2048} and below it) so
	 * that orders stored during the graceful shutdown are still relayed.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	/** Runs a relay round soon, unless one is already due. */
	void wakeUp() {
		ScheduledExecutorService running = this.executor;
		if (running != null && wakePending.compareAndSet(false, true)) {
			try {
				running.execute(() -> {
					wakePending.set(false);
					relayAll();
				});
			}
			catch (RejectedExecutionException stopping) {
				wakePending.set(false);
			}
		}
	}

	/** Publishes rounds until the outbox has nothing left, or a round failed. */
	void relayAll() {
		if (clock.instant().isBefore(pausedUntil)) {
			return;
		}
		try {
			Round round;
			do {
				round = relayRound();
			}
			while (round.problem() == null && round.published() == properties.batchSize());
			if (round.problem() != null) {
				failed(round.problem());
				return;
			}
			if (failure != null) {
				log.info("Relaying events again (after: {})", failure);
				failure = null;
			}
			cleanUp();
		}
		catch (RuntimeException ex) {
			failed((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName());
		}
	}

	/**
	 * Waits {@code retry-interval} before the next round; logs the first failure only.
	 */
	private void failed(String problem) {
		pausedUntil = clock.instant().plus(properties.retryInterval());
		if (failure == null) {
			log.warn("Could not relay events; they stay in the outbox and are retried: {}", problem);
		}
		failure = problem;
	}

	/**
	 * One round: locks the oldest unpublished events, publishes them, marks those the
	 * broker confirmed. Blocks (this is the relay's own thread).
	 * @return how many events the round published, and why it left some unpublished
	 */
	Round relayRound() {
		Round round = transactions
			.transactional(sql.sql("""
					SELECT id, event_type, routing_key, payload, traceparent, created_at FROM outbox_events
					WHERE published_at IS NULL ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
				.bind("limit", properties.batchSize())
				.map((row, metadata) -> new OutboxEvent(row.get("id", UUID.class), row.get("event_type", String.class),
						row.get("routing_key", String.class), row.get("payload", String.class),
						row.get("traceparent", String.class), row.get("created_at", OffsetDateTime.class).toInstant(),
						null))
				.all()
				.collectList()
				// The broker's client blocks: not on the database driver's threads.
				.publishOn(Schedulers.boundedElastic())
				.map(this::publish)
				.flatMap(this::markPublished))
			.block(properties.confirmTimeout().plusSeconds(10));
		return (round != null) ? round : new Round(0, null);
	}

	private Confirmed publish(List<OutboxEvent> events) {
		List<Sent> sent = new ArrayList<>(events.size());
		AmqpException sendFailure = null;
		for (OutboxEvent event : events) {
			CorrelationData confirm = new CorrelationData(event.id().toString());
			try {
				inTraceOf(event,
						() -> rabbit.send(properties.exchange(), event.routingKey(), toMessage(event), confirm));
			}
			catch (AmqpException ex) {
				sendFailure = ex;
				break;
			}
			sent.add(new Sent(event, confirm));
		}
		Confirmed confirmed = awaitConfirms(sent);
		if (sendFailure != null) {
			failures("broker-unavailable").increment();
			if (confirmed.events().isEmpty()) {
				throw sendFailure;
			}
			return new Confirmed(confirmed.events(), sendFailure.getMessage());
		}
		return confirmed;
	}

	private Confirmed awaitConfirms(List<Sent> sent) {
		List<OutboxEvent> confirmed = new ArrayList<>(sent.size());
		String problem = null;
		long deadline = System.nanoTime() + properties.confirmTimeout().toNanos();
		for (Sent one : sent) {
			try {
				CorrelationData.Confirm confirm = one.confirm()
					.getFuture()
					.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (!confirm.ack()) {
					failures("nacked").increment();
					problem = "the broker refused event " + one.event().id() + ": " + confirm.reason();
				}
				else if (one.confirm().getReturned() != null) {
					// No queue is bound for it yet: keep it, a consumer may bind later.
					failures("unroutable").increment();
					problem = "no queue takes " + one.event().eventType() + " events (exchange " + properties.exchange()
							+ ", routing key " + one.event().routingKey() + ")";
				}
				else {
					confirmed.add(one.event());
				}
			}
			catch (TimeoutException | ExecutionException ex) {
				failures("unconfirmed").increment();
				problem = "the broker did not confirm event " + one.event().id() + " within "
						+ properties.confirmTimeout();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				problem = "interrupted";
				break;
			}
		}
		return new Confirmed(confirmed, problem);
	}

	private Mono<Round> markPublished(Confirmed result) {
		List<OutboxEvent> confirmed = result.events();
		if (confirmed.isEmpty()) {
			return Mono.just(new Round(0, result.problem()));
		}
		Instant now = clock.instant();
		return sql.sql("UPDATE outbox_events SET published_at = :now WHERE id IN (:ids)")
			.bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.bind("ids", confirmed.stream().map(OutboxEvent::id).toList())
			.fetch()
			.rowsUpdated()
			.map(updated -> {
				confirmed.forEach(event -> lag.record(Duration.between(event.createdAt(), now)));
				// One counter lookup per event type and round, not per event.
				confirmed.stream()
					.collect(Collectors.groupingBy(OutboxEvent::eventType, Collectors.counting()))
					.forEach((type, count) -> Counter.builder("cloudref.outbox.published")
						.description("Events the broker confirmed")
						.tag("type", type)
						.register(meters)
						.increment(count));
				return new Round(confirmed.size(), result.problem());
			});
	}

	private void cleanUp() {
		Instant now = clock.instant();
		if (now.isBefore(nextCleanup)) {
			return;
		}
		nextCleanup = now.plus(Duration.ofMinutes(1));
		Long deleted = sql.sql("DELETE FROM outbox_events WHERE published_at < :cutoff")
			.bind("cutoff", OffsetDateTime.ofInstant(now.minus(properties.retention()), ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		if (deleted != null && deleted > 0) {
			log.info("Deleted {} events published more than {} ago", deleted, properties.retention());
		}
	}

	private Counter failures(String reason) {
		return Counter.builder("cloudref.outbox.publish.failures")
			.description("Events a relay round could not publish; they stay in the outbox")
			.tag("reason", reason)
			.register(meters);
	}

	/**
	 * Publishes in the trace of the request that stored the event: its span (and the
	 * broker's client's span under it) joins that trace, and the message carries it on.
	 */
	private void inTraceOf(OutboxEvent event, Runnable send) {
		Tracer current = tracer.getIfAvailable();
		Propagator w3c = propagator.getIfAvailable();
		if (event.traceparent() == null || current == null || w3c == null) {
			send.run();
			return;
		}
		Span span = w3c.extract(Map.of(Outbox.TRACEPARENT, event.traceparent()), Map::get)
			.name("outbox relay")
			.tag("event.type", event.eventType())
			.start();
		try (Tracer.SpanInScope scope = current.withSpan(span)) {
			send.run();
		}
		finally {
			span.end();
		}
	}

	private static Message toMessage(OutboxEvent event) {
		return MessageBuilder.withBody(event.payload().getBytes(StandardCharsets.UTF_8))
			.setContentType(MessageProperties.CONTENT_TYPE_JSON)
			.setContentEncoding(StandardCharsets.UTF_8.name())
			.setMessageId(event.id().toString())
			.setType(event.eventType())
			.setTimestamp(Date.from(event.createdAt()))
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.build();
	}

	private record Sent(OutboxEvent event, CorrelationData confirm) {
	}

	/** The events the broker confirmed, and why others were not (null if none). */
	private record Confirmed(List<OutboxEvent> events, String problem) {
	}

	/**
	 * @param published how many events a round marked published
	 * @param problem why it left some unpublished, or null
	 */
	record Round(int published, String problem) {
	}

}
