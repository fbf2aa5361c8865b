package dev.cloudref.order.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.stereotype.Component;

/**
 * Stores events in the transactional outbox ({@code outbox_events}); the
 * {@link OutboxRelay} publishes them to the broker after the transaction committed.
 * Writing the event with the change it describes, in one transaction, is what makes it
 * neither lost (the change committed, the event too) nor false (the change rolled back,
 * the event too): there is no second write to a broker that could fail on its own.
 */
@Component
public class Outbox {

	/** W3C Trace Context header (https://www.w3.org/TR/trace-context/). */
	static final String TRACEPARENT = "traceparent";

	private final R2dbcEntityOperations database;

	private final JsonMapper json;

	private final OutboxRelay relay;

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	private final Clock clock;

	Outbox(R2dbcEntityOperations database, JsonMapper json, OutboxRelay relay, ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator) {
		this.database = database;
		this.json = json;
		this.relay = relay;
		this.tracer = tracer;
		this.propagator = propagator;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Stores an event. Call it inside the transaction that stores the change (e.g. in a
	 * {@code TransactionalOperator.transactional} chain): it joins that transaction.
	 * @param eventId the event's id; consumers apply an event id once
	 * @param eventType the event's name, e.g. {@code OrderPlaced}
	 * @param routingKey the routing key, e.g. {@code order.placed}
	 * @param event the event, serialized to JSON (at most 8,192 characters)
	 * @return completes once the row is written in the current transaction; errors with
	 * the database's error (the caller's transaction then rolls back), or with
	 * {@code IllegalArgumentException} if the JSON is too long
	 */
	public Mono<Void> append(UUID eventId, String eventType, String routingKey, Object event) {
		String payload = json.writeValueAsString(event);
		if (payload.length() > 8192) {
			return Mono.error(new IllegalArgumentException(
					"Event " + eventType + " is " + payload.length() + " characters, the outbox holds 8192"));
		}
		Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		// handle: the request's trace context is in the thread locals only there
		// (spring.reactor.context-propagation=limited).
		return Mono.just(eventId)
			.<OutboxEvent>handle((id, sink) -> sink
				.next(new OutboxEvent(id, eventType, routingKey, payload, currentTraceparent(), now, null)))
			.flatMap(database::insert)
			.then();
	}

	/**
	 * Asks the relay to publish soon; call it after the transaction that stored events
	 * committed (it only shortens their wait: the relay also polls).
	 */
	public void committed() {
		relay.wakeUp();
	}

	private String currentTraceparent() {
		Tracer currentTracer = tracer.getIfAvailable();
		Propagator w3c = propagator.getIfAvailable();
		Span span = (currentTracer != null) ? currentTracer.currentSpan() : null;
		if (span == null || w3c == null) {
			return null;
		}
		Map<String, String> headers = new HashMap<>();
		w3c.inject(span.context(), headers, Map::put);
		return headers.get(TRACEPARENT);
	}

}
