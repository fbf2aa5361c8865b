package ${package}.${resource};

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import dev.cloudref.starter.data.UnquotedIdentifiersAutoConfiguration;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A slice test: {@link ${Resource}Repository} against the Flyway schema on embedded H2,
 * with the starter's unquoted identifiers as in the application.
 */
@DataR2dbcTest
@ImportAutoConfiguration({ FlywayAutoConfiguration.class, UnquotedIdentifiersAutoConfiguration.class })
@DirtiesContext
class ${Resource}RepositoryTest {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.withoutDependencies();

	@Autowired
	${Resource}Repository ${resources};

	@Autowired
	R2dbcEntityTemplate database;

	@Test
	void pagesAnOwnersOnlyOldestFirst() {
		UUID owner = UUID.randomUUID();
		${Resource} third = new ${Resource}(UUID.randomUUID(), "third", owner, T0.plusSeconds(2));
		${Resource} second = new ${Resource}(UUID.randomUUID(), "second", owner, T0.plusSeconds(1));
		${Resource} first = new ${Resource}(UUID.randomUUID(), "first", owner, T0);
		${Resource} someoneElses = new ${Resource}(UUID.randomUUID(), "other", UUID.randomUUID(), T0);
		Sort oldestFirst = Sort.by("createdAt", "id");

		StepVerifier.create(database.insert(third).then(database.insert(second)).then(database.insert(first))
			.then(database.insert(someoneElses))
			.thenMany(${resources}.findByOwnerId(owner, PageRequest.of(0, 2, oldestFirst))))
			.expectNext(first, second)
			.verifyComplete();
		StepVerifier.create(${resources}.findByOwnerId(owner, PageRequest.of(1, 2, oldestFirst)))
			.expectNext(third)
			.verifyComplete();
		StepVerifier.create(${resources}.countByOwnerId(owner)).expectNext(3L).verifyComplete();
	}

	@Test
	void findsByIdAndNothingForAnUnknownId() {
		${Resource} stored = new ${Resource}(UUID.randomUUID(), "stored", UUID.randomUUID(), T0);

		StepVerifier.create(database.insert(stored).then(${resources}.findById(stored.id())))
			.expectNext(stored)
			.verifyComplete();
		StepVerifier.create(${resources}.findById(UUID.randomUUID())).verifyComplete();
	}

}
