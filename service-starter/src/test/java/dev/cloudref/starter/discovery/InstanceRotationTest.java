package dev.cloudref.starter.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cloudref.starter.discovery.InstanceRotation.ProbeOutcome;
import dev.cloudref.starter.discovery.InstanceRotation.ProbeResult;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceRotationTest {

	static final ServiceInstance ONE = instance(8081);

	static final ServiceInstance TWO = instance(8082);

	static final ServiceInstance THREE = instance(8083);

	static final ServiceInstance FOUR = instance(8084);

	final AtomicLong now = new AtomicLong(1_000_000_000L);

	final InstanceRotation rotation = new InstanceRotation("things", 0.5, new OutlierDetectionProperties(true, 3,
			Duration.ofSeconds(5), Duration.ofSeconds(60), 0.5, Set.of(500, 502, 504)), now::get);

	@Test
	void anUnansweredProbeKeepsTheInstancesLastVerdict() {
		rotation.registered(List.of(ONE, TWO));
		assertThat(rotation.probed(List.of(ready(ONE), ready(TWO)))).containsExactly(ONE, TWO);

		assertThat(rotation.probed(List.of(result(ONE, ProbeOutcome.NO_ANSWER), result(TWO, ProbeOutcome.NOT_READY))))
			.as("busy ONE stays, refusing TWO leaves")
			.containsExactly(ONE);
		assertThat(rotation.probed(List.of(result(ONE, ProbeOutcome.NO_ANSWER), result(TWO, ProbeOutcome.NO_ANSWER))))
			.as("an unanswered probe does not bring TWO back either")
			.containsExactly(ONE);
	}

	@Test
	void aNewInstanceIsReadyOnlyOnceAProbeIsAnswered() {
		rotation.registered(List.of(ONE));
		assertThat(rotation.probed(List.of(result(ONE, ProbeOutcome.NO_ANSWER)))).isEmpty();
		assertThat(rotation.probed(List.of(ready(ONE)))).containsExactly(ONE);
		assertThat(rotation.probed(List.of(result(ONE, ProbeOutcome.NO_ANSWER)))).containsExactly(ONE);
	}

	@Test
	void belowThePanicThresholdEveryRegisteredInstanceIsChosen() {
		rotation.registered(List.of(ONE, TWO, THREE, FOUR));
		assertThat(rotation.choosable(List.of(ONE, TWO))).as("2 of 4 is not below 50%").containsExactly(ONE, TWO);
		assertThat(rotation.inPanic()).isFalse();

		assertThat(rotation.choosable(List.of(ONE))).as("1 of 4 is").containsExactly(ONE, TWO, THREE, FOUR);
		assertThat(rotation.inPanic()).isTrue();
		assertThat(rotation.choosable(List.of())).as("none ready: all registered")
			.containsExactly(ONE, TWO, THREE, FOUR);

		assertThat(rotation.choosable(List.of(ONE, TWO, THREE))).containsExactly(ONE, TWO, THREE);
		assertThat(rotation.inPanic()).isFalse();
	}

	@Test
	void aZeroPanicThresholdNeverPanics() {
		InstanceRotation noPanic = new InstanceRotation("things", 0, rotationDefaults(), now::get);
		noPanic.registered(List.of(ONE, TWO));
		assertThat(noPanic.choosable(List.of())).isEmpty();
	}

	@Test
	void consecutiveFailuresEjectAnInstanceWhichReturnsAfterTheEjectionTime() {
		rotation.registered(List.of(ONE, TWO, THREE, FOUR));
		rotation.failed(ONE);
		rotation.failed(ONE);
		rotation.succeeded(ONE);
		rotation.failed(ONE);
		rotation.failed(ONE);
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).as("a success resets the count").contains(ONE);

		rotation.failed(ONE);
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).containsExactly(TWO, THREE, FOUR);
		assertThat(rotation.ejectedNow()).isEqualTo(1);
		assertThat(rotation.ejections()).isEqualTo(1);

		advance(Duration.ofMillis(4900));
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).doesNotContain(ONE);
		advance(Duration.ofMillis(200));
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).contains(ONE);
	}

	@Test
	void ejectionsInARowLastTwiceAsLongUpToTheMaximumAndStartOverAfterAQuietPeriod() {
		rotation.registered(List.of(ONE, TWO, THREE, FOUR));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(5));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(10));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(20));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(40));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(60));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(60));

		advance(Duration.ofSeconds(61));
		assertThat(ejectionLength(ONE)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void neverMoreThanTheMaximumShareIsEjectedAtOnce() {
		rotation.registered(List.of(ONE, TWO, THREE, FOUR));
		failTimes(ONE, 3);
		failTimes(TWO, 3);
		failTimes(THREE, 3);
		assertThat(rotation.ejectedNow()).as("half of four").isEqualTo(2);
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).containsExactly(THREE, FOUR);
	}

	@Test
	void withTwoInstancesOneMayBeEjectedAndTheOtherServes() {
		rotation.registered(List.of(ONE, TWO));
		failTimes(ONE, 3);
		failTimes(TWO, 3);
		assertThat(rotation.ejectedNow()).isEqualTo(1);
		assertThat(rotation.choosable(List.of(ONE, TWO))).containsExactly(TWO);
		assertThat(rotation.inPanic()).as("1 of 2 is not below 50%").isFalse();
	}

	@Test
	void failuresOfRequestsSentBeforeTheEjectionDoNotExtendIt() {
		rotation.registered(List.of(ONE, TWO));
		failTimes(ONE, 3);
		failTimes(ONE, 10);
		assertThat(rotation.ejections()).isEqualTo(1);
	}

	@Test
	void withOutlierDetectionOffFailuresEjectNothing() {
		InstanceRotation off = new InstanceRotation("things", 0.5,
				new OutlierDetectionProperties(false, 1, Duration.ofSeconds(5), Duration.ofSeconds(60), 0.5, Set.of()),
				now::get);
		off.registered(List.of(ONE, TWO));
		off.failed(ONE);
		off.failed(ONE);
		assertThat(off.choosable(List.of(ONE, TWO))).containsExactly(ONE, TWO);
	}

	private Duration ejectionLength(ServiceInstance instance) {
		failTimes(instance, 3);
		assertThat(rotation.choosable(List.of(ONE, TWO, THREE, FOUR))).doesNotContain(instance);
		long step = Duration.ofSeconds(1).toNanos();
		long waited = 0;
		while (!rotation.choosable(List.of(ONE, TWO, THREE, FOUR)).contains(instance)) {
			now.addAndGet(step);
			waited += step;
		}
		return Duration.ofNanos(waited);
	}

	private void failTimes(ServiceInstance instance, int times) {
		for (int i = 0; i < times; i++) {
			rotation.failed(instance);
		}
	}

	private void advance(Duration duration) {
		now.addAndGet(duration.toNanos());
	}

	private static OutlierDetectionProperties rotationDefaults() {
		return new OutlierDetectionProperties(true, 5, Duration.ofSeconds(5), Duration.ofSeconds(60), 0.5,
				Set.of(500, 502, 504));
	}

	private static ProbeResult ready(ServiceInstance instance) {
		return result(instance, ProbeOutcome.READY);
	}

	private static ProbeResult result(ServiceInstance instance, ProbeOutcome outcome) {
		return new ProbeResult(instance, outcome);
	}

	private static ServiceInstance instance(int port) {
		return new DefaultServiceInstance("things-" + port, "things", "127.0.0.1", port, false);
	}

}
