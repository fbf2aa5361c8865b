package dev.cloudref.user.stats;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Applies {@code OrderPlaced} events to the order statistics. A message is acknowledged
 * after its event was applied and committed; if this instance dies before, the broker
 * delivers it again (to this or another instance) and the stored event id keeps it from
 * counting twice.
 */
@Component
class OrderStatsListener {

	private static final Logger log = LoggerFactory.getLogger(OrderStatsListener.class);

	private static final ContextSnapshotFactory CONTEXT = ContextSnapshotFactory.builder().build();

	private final OrderStatsStore stats;

	private final OrderEventsProperties properties;

	private final Counter applied;

	private final Counter duplicates;

	private final MeterRegistry meters;

	OrderStatsListener(OrderStatsStore stats, OrderEventsProperties properties, MeterRegistry meters) {
		this.stats = stats;
		this.properties = properties;
		this.meters = meters;
		this.applied = consumed("applied");
		this.duplicates = consumed("duplicate");
	}

	/**
	 * Runs on the listener container's thread (not an event loop): blocking on the
	 * database here is what keeps the acknowledgement after the commit.
	 */
	@RabbitListener(queues = "${cloudref.order-events.queue}", id = "order-stats")
	void onOrderPlaced(OrderPlacedEvent event) {
		try {
			// The message's trace (this thread's observation) goes on into the database
			// calls, which read it from the Reactor context.
			ContextSnapshot trace = CONTEXT.captureAll();
			Boolean appliedNow = stats.apply(event.requireValid())
				.contextWrite(trace::updateContext)
				.block(properties.applyTimeout());
			if (Boolean.TRUE.equals(appliedNow)) {
				applied.increment();
			}
			else {
				duplicates.increment();
				log.info("Event {} was applied before; ignored", event.eventId());
			}
		}
		catch (RuntimeException ex) {
			Counter.builder("cloudref.events.failed")
				.description("Attempts to apply an event that failed (retried, or dead-lettered after the last)")
				.tag("queue", properties.queue())
				.tag("exception", ex.getClass().getSimpleName())
				.register(meters)
				.increment();
			throw ex;
		}
	}

	private Counter consumed(String outcome) {
		return Counter.builder("cloudref.events.consumed")
			.description("Events taken from the queue: applied, or duplicate (applied before)")
			.tag("queue", properties.queue())
			.tag("outcome", outcome)
			.register(meters);
	}

	/** The innermost cause's message: what a dead-lettered event's log line says. */
	static String reason(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
