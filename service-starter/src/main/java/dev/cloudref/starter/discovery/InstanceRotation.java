package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Decides which instances of one service LoadBalancer may choose, from the registry, the
 * readiness probes and real requests, after Envoy's outlier detection and panic
 * threshold. Thread-safe: probes, outcomes and choices arrive on different threads.
 */
public class InstanceRotation {

	private static final Log log = LogFactory.getLog(InstanceRotation.class);

	/** What one readiness probe found out. */
	public enum ProbeOutcome {

		/** The probe was answered with a 2xx status. */
		READY,

		/** The probe was answered with another status, or no connection could be made. */
		NOT_READY,

		/** The connection was made but no answer came in time: inconclusive. */
		NO_ANSWER

	}

	/**
	 * One instance's probe outcome in a probe round.
	 *
	 * @param instance the probed instance
	 * @param outcome what the probe found out
	 */
	public record ProbeResult(ServiceInstance instance, ProbeOutcome outcome) {
	}

	private final String serviceId;

	private final double panicThreshold;

	private final OutlierDetectionProperties outlierDetection;

	private final LongSupplier nanoClock;

	private final Map<String, Boolean> readiness = new ConcurrentHashMap<>();

	private final Map<String, Outlier> outliers = new ConcurrentHashMap<>();

	private final AtomicBoolean panic = new AtomicBoolean();

	private volatile List<ServiceInstance> registered = List.of();

	private volatile long ejections;

	/**
	 * @param serviceId the service whose instances these are (for log lines and metrics)
	 * @param panicThreshold share of the registry's instances (0 to 1) below which every
	 * registry instance is chosen; 0 never panics
	 * @param outlierDetection when real-request failures eject an instance
	 * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime})
	 */
	public InstanceRotation(String serviceId, double panicThreshold, OutlierDetectionProperties outlierDetection,
			LongSupplier nanoClock) {
		this.serviceId = serviceId;
		this.panicThreshold = panicThreshold;
		this.outlierDetection = outlierDetection;
		this.nanoClock = nanoClock;
	}

	/**
	 * Takes the registry's current instances; state about instances no longer in it is
	 * dropped.
	 * @param instances the registry's instances of the service
	 */
	public void registered(List<ServiceInstance> instances) {
		this.registered = List.copyOf(instances);
		Set<String> keys = instances.stream().map(InstanceRotation::key).collect(Collectors.toSet());
		this.readiness.keySet().retainAll(keys);
		this.outliers.keySet().retainAll(keys);
	}

	/**
	 * Takes the outcomes of one probe round.
	 * @param results one outcome per probed instance
	 * @return the probed instances that count as ready (in the order given): those that
	 * answered 2xx, and those without an answer whose last answered probe was 2xx (an
	 * instance whose probes were never answered is not ready yet)
	 */
	public List<ServiceInstance> probed(List<ProbeResult> results) {
		for (ProbeResult result : results) {
			String key = key(result.instance());
			switch (result.outcome()) {
				case READY -> this.readiness.put(key, true);
				case NOT_READY -> this.readiness.put(key, false);
				case NO_ANSWER -> this.readiness.putIfAbsent(key, false);
			}
		}
		return results.stream()
			.map(ProbeResult::instance)
			.filter(instance -> this.readiness.getOrDefault(key(instance), false))
			.toList();
	}

	/**
	 * @param ready the instances of the last probe round that count as ready
	 * @return those of them that are not ejected; or, when they are fewer than the panic
	 * threshold's share of the registry's instances, every registry instance
	 */
	public List<ServiceInstance> choosable(List<ServiceInstance> ready) {
		long now = this.nanoClock.getAsLong();
		List<ServiceInstance> available = ready.stream().filter(instance -> !isEjected(instance, now)).toList();
		List<ServiceInstance> all = this.registered;
		boolean panicking = !all.isEmpty() && available.size() < this.panicThreshold * all.size();
		if (this.panic.compareAndSet(!panicking, panicking)) {
			if (panicking) {
				log.warn(String.format(
						"%s: %d of %d instances ready and not ejected, below the panic threshold %.0f%%: "
								+ "choosing among all registered instances",
						this.serviceId, available.size(), all.size(), this.panicThreshold * 100));
			}
			else {
				log.info(String.format("%s: %d of %d instances ready again, panic over", this.serviceId,
						available.size(), all.size()));
			}
		}
		return panicking ? all : available;
	}

	/**
	 * Records a real request to {@code instance} that succeeded (it resets the instance's
	 * count of failures in a row).
	 * @param instance the instance the request went to
	 */
	public void succeeded(ServiceInstance instance) {
		Outlier outlier = this.outliers.get(key(instance));
		if (outlier != null) {
			outlier.succeeded();
		}
	}

	/**
	 * Records a real request to {@code instance} that failed; the failure that completes
	 * {@code consecutiveFailures} in a row ejects the instance, unless the largest share
	 * of ejected instances is reached. Failures of requests to an instance while it is
	 * ejected (sent before its ejection) are not counted.
	 * @param instance the instance the request went to
	 */
	public void failed(ServiceInstance instance) {
		if (!this.outlierDetection.enabled()) {
			return;
		}
		long now = this.nanoClock.getAsLong();
		Outlier outlier = this.outliers.computeIfAbsent(key(instance), key -> new Outlier());
		if (outlier.failed(now, this.outlierDetection.consecutiveFailures())) {
			eject(instance, outlier, now);
		}
	}

	/**
	 * @return whether the last choice was made in panic (among all registry instances)
	 */
	public boolean inPanic() {
		return this.panic.get();
	}

	/**
	 * @return how many of the registry's instances are ejected now
	 */
	public int ejectedNow() {
		long now = this.nanoClock.getAsLong();
		return (int) this.registered.stream().filter(instance -> isEjected(instance, now)).count();
	}

	/**
	 * @return how many ejections there have been since start
	 */
	public long ejections() {
		return this.ejections;
	}

	/**
	 * @return the service whose instances these are
	 */
	public String serviceId() {
		return this.serviceId;
	}

	private synchronized void eject(ServiceInstance instance, Outlier outlier, long now) {
		int size = this.registered.size();
		int allowed = (int) Math.floor(this.outlierDetection.maxEjectionShare() * size);
		if (this.outlierDetection.maxEjectionShare() > 0 && size >= 2) {
			allowed = Math.max(1, allowed);
		}
		if (ejectedNow() >= allowed) {
			outlier.notEjected();
			return;
		}
		Duration ejection = outlier.eject(now, this.outlierDetection.baseEjectionTime(),
				this.outlierDetection.maxEjectionTime());
		this.ejections++;
		log.warn(String.format("%s: instance %s:%d ejected for %d ms after %d failed requests in a row", this.serviceId,
				instance.getHost(), instance.getPort(), ejection.toMillis(),
				this.outlierDetection.consecutiveFailures()));
	}

	private boolean isEjected(ServiceInstance instance, long now) {
		Outlier outlier = this.outliers.get(key(instance));
		return outlier != null && outlier.isEjected(now);
	}

	private static String key(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

	/** Failure and ejection state of one instance. */
	private static final class Outlier {

		private int failuresInARow;

		private int ejectionsInARow;

		private long ejectedUntil;

		private boolean everEjected;

		synchronized boolean failed(long now, int threshold) {
			if (isEjected(now)) {
				return false;
			}
			this.failuresInARow++;
			return this.failuresInARow >= threshold;
		}

		synchronized void succeeded() {
			this.failuresInARow = 0;
		}

		synchronized void notEjected() {
			this.failuresInARow = 0;
		}

		synchronized Duration eject(long now, Duration base, Duration max) {
			if (this.everEjected && now - this.ejectedUntil > max.toNanos()) {
				this.ejectionsInARow = 0;
			}
			this.ejectionsInARow++;
			long factor = 1L << Math.min(this.ejectionsInARow - 1, 20);
			Duration ejection = base.multipliedBy(factor);
			if (ejection.compareTo(max) > 0) {
				ejection = max;
			}
			this.ejectedUntil = now + ejection.toNanos();
			this.everEjected = true;
			this.failuresInARow = 0;
			return ejection;
		}

		synchronized boolean isEjected(long now) {
			return this.everEjected && now - this.ejectedUntil < 0;
		}

	}

}
