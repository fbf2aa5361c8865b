package dev.cloudref.user.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import dev.cloudref.starter.data.UnquotedIdentifiersAutoConfiguration;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UserRepository} against the Flyway schema on embedded H2, with the starter's
 * unquoted identifiers as in the application.
 */
@DataR2dbcTest
@ImportAutoConfiguration({ FlywayAutoConfiguration.class, UnquotedIdentifiersAutoConfiguration.class })
@DirtiesContext
class UserRepositoryTest {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.withoutDependencies();

	@Autowired
	UserRepository users;

	@Autowired
	R2dbcEntityTemplate database;

	@BeforeEach
	void deleteAllUsers() {
		users.deleteAll().block();
	}

	@Test
	void findsAStoredUserById() {
		User ada = user("Ada", "ada@example.com", T0);
		database.insert(ada).block();

		StepVerifier.create(users.findById(ada.id())).expectNext(ada).verifyComplete();
		StepVerifier.create(users.findById(UUID.randomUUID())).verifyComplete();
	}

	@Test
	void refusesASecondUserWithTheSameEmail() {
		database.insert(user("First", "same@example.com", T0)).block();

		StepVerifier.create(database.insert(user("Second", "same@example.com", T0.plusSeconds(1))))
			.expectError(DuplicateKeyException.class)
			.verify();
		StepVerifier.create(users.count()).expectNext(1L).verifyComplete();
	}

	@Test
	void pagesUsersOldestFirstWithIdAsTieBreaker() {
		UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
		UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000001");
		User newest = user("Newest", "newest@example.com", T0.plusSeconds(60));
		User tiedHigh = new User(high, "Tied high", "tied-high@example.com", T0.plusSeconds(30));
		User tiedLow = new User(low, "Tied low", "tied-low@example.com", T0.plusSeconds(30));
		User oldest = user("Oldest", "oldest@example.com", T0);
		User middle = user("Middle", "middle@example.com", T0.plusSeconds(10));
		for (User user : List.of(newest, tiedHigh, tiedLow, oldest, middle)) {
			database.insert(user).block();
		}
		Sort oldestFirst = Sort.by("createdAt", "id");

		assertThat(users.findAllBy(PageRequest.of(0, 2, oldestFirst)).collectList().block()).containsExactly(oldest,
				middle);
		assertThat(users.findAllBy(PageRequest.of(1, 2, oldestFirst)).collectList().block()).containsExactly(tiedLow,
				tiedHigh);
		assertThat(users.findAllBy(PageRequest.of(2, 2, oldestFirst)).collectList().block()).containsExactly(newest);
		assertThat(users.findAllBy(PageRequest.of(3, 2, oldestFirst)).collectList().block()).isEmpty();
		StepVerifier.create(users.count()).expectNext(5L).verifyComplete();
	}

	private static User user(String name, String email, Instant createdAt) {
		return new User(UUID.randomUUID(), name, email, createdAt);
	}

}
