package dev.cloudref.starter.idempotency;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes expired idempotency keys at startup and then every
 * {@code cloudref.idempotency.cleanup-interval}, on every instance (the deletion is
 * idempotent, so no instance needs to be elected for it).
 */
class ExpiredKeysCleanup implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(ExpiredKeysCleanup.class);

	private final IdempotencyKeys keys;

	private final Duration interval;

	ExpiredKeysCleanup(IdempotencyKeys keys, Duration interval) {
		this.keys = keys;
		this.interval = interval;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::run, interval, Duration.ZERO));
	}

	/** Runs on a scheduler thread, never a request's: blocking here holds up no one. */
	void run() {
		try {
			Long deleted = keys.deleteExpired().block(interval);
			if (deleted != null && deleted > 0) {
				log.info("Deleted {} expired idempotency keys", deleted);
			}
		}
		catch (RuntimeException ex) {
			// The next run catches up; keys only live a little longer meanwhile.
			log.warn("Could not delete expired idempotency keys: {}", ex.getMessage());
		}
	}

}
