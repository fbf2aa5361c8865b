package dev.cloudref.auth.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest {

	@TempDir
	Path dir;

	@Test
	void makesAKeyOnFirstStartAndReadsItBackOnTheNext() throws Exception {
		SigningKeys first = new SigningKeys(dir, Duration.ofDays(30), Clock.systemUTC());
		SigningKeys second = new SigningKeys(dir, Duration.ofDays(30), Clock.systemUTC());

		assertThat(second.current().getKeyID()).isEqualTo(first.current().getKeyID());
		assertThat(second.current().isPrivate()).isTrue();
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files.toList()).singleElement()
				.satisfies(file -> assertThat(Files.getPosixFilePermissions(file)).hasSize(2));
		}
	}

	@Test
	void aRotationSignsWithTheNewKeyAndPublishesBothThenRetiresTheOldest() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		SigningKeys keys = new SigningKeys(dir, Duration.ofDays(30), clock);
		String first = keys.current().getKeyID();

		clock.now = clock.now.plus(Duration.ofDays(29));
		assertThat(keys.rotateIfDue()).isFalse();

		clock.now = clock.now.plus(Duration.ofDays(1));
		assertThat(keys.rotateIfDue()).isTrue();
		String second = keys.current().getKeyID();
		assertThat(second).isNotEqualTo(first);
		assertThat(keys.published().getKeys()).extracting(JWK::getKeyID).containsExactly(second, first);

		clock.now = clock.now.plus(Duration.ofDays(30));
		assertThat(keys.rotateIfDue()).isTrue();
		String third = keys.current().getKeyID();
		assertThat(keys.published().getKeys()).extracting(JWK::getKeyID).containsExactly(third, second);
		// A restart reads the same two keys, newest first.
		assertThat(new SigningKeys(dir, Duration.ofDays(30), clock).published().getKeys()).extracting(JWK::getKeyID)
			.containsExactly(third, second);
	}

	static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
