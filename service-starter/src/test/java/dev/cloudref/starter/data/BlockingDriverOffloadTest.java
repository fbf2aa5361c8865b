package dev.cloudref.starter.data;

import java.util.List;
import java.util.Set;

import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.BadSqlGrammarException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlockingDriverOffloadTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(R2dbcAutoConfiguration.class, BlockingDriverOffloadAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///offload;DB_CLOSE_DELAY=-1");

	@Test
	void theH2FactoryUnderThePoolIsWrapped() {
		runner.run(context -> {
			ConnectionFactory pooled = ((ConnectionPool) context.getBean(ConnectionFactory.class)).unwrap();
			assertThat(pooled.toString()).startsWith("Offloaded[");
			assertThat(pooled.getMetadata().getName()).isEqualTo("H2");
		});
	}

	@Test
	void queriesSubscribedOnAnEventLoopLikeThreadRunOnTheDriverThreads() {
		runner.run(context -> {
			DatabaseClient db = DatabaseClient.create(context.getBean(ConnectionFactory.class));
			db.sql("CREATE TABLE items (id INT PRIMARY KEY)").then().block();
			Flux.range(1, 300)
				.concatMap(i -> db.sql("INSERT INTO items VALUES (:id)").bind("id", i).then())
				.then()
				.block();

			// Subscribed from a non-blocking thread, as a WebFlux handler is; more rows
			// than H2's fetch size, so later rows are read when requested.
			List<String> threads = db.sql("SELECT id FROM items ORDER BY id")
				.map(row -> Thread.currentThread().getName())
				.all()
				.subscribeOn(Schedulers.parallel())
				.collectList()
				.block();

			assertThat(threads).hasSize(300).allSatisfy(name -> assertThat(name).startsWith("r2dbc-blocking-driver"));
		});
	}

	@Test
	void aFailedTransactionRollsBackAndTheDriversErrorReachesTheCaller() {
		runner.run(context -> {
			ConnectionFactory factory = context.getBean(ConnectionFactory.class);
			DatabaseClient db = DatabaseClient.create(factory);
			TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
			db.sql("CREATE TABLE accounts (id INT PRIMARY KEY)").then().block();

			Mono<Void> insertThenFail = db.sql("INSERT INTO accounts VALUES (1)")
				.then()
				.then(db.sql("INSERT INTO no_such_table VALUES (2)").then())
				.as(tx::transactional);

			assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(insertThenFail::block);
			assertThat(db.sql("SELECT COUNT(*) AS n FROM accounts").map(row -> row.get("n", Long.class)).one().block())
				.isZero();
		});
	}

	@Test
	void otherDriversAreLeftAlone() {
		runner.withPropertyValues("cloudref.r2dbc.blocking-driver.names=PostgreSQL").run(context -> {
			ConnectionFactory pooled = ((ConnectionPool) context.getBean(ConnectionFactory.class)).unwrap();
			assertThat(pooled.toString()).doesNotStartWith("Offloaded[");
			assertThat(pooled.getMetadata().getName()).isEqualTo("H2");
		});
	}

	@Test
	void theWrapperUnwrapsToTheDriversFactory() {
		ConnectionFactory h2 = ConnectionFactories.get("r2dbc:h2:mem:///unwrap");
		BlockingDriverOffload offload = new BlockingDriverOffload(Set.of("H2"), Schedulers.boundedElastic());
		ConnectionFactory wrapped = offload.decorate(h2);
		assertThat(wrapped).isNotSameAs(h2);
		assertThat(((Wrapped<?>) wrapped).unwrap()).isSameAs(h2);
		assertThat(((Wrapped<?>) wrapped).unwrap(H2ConnectionFactory.class)).isSameAs(h2);
		assertThat(((Wrapped<?>) wrapped).unwrap(ConnectionFactory.class)).isSameAs(wrapped);
		assertThat(((Wrapped<?>) wrapped).unwrap(Scheduler.class)).isNull();
	}

	@Test
	void decorateReturnsANonBlockingDriversFactoryItself() {
		ConnectionFactory h2 = ConnectionFactories.get("r2dbc:h2:mem:///other");
		BlockingDriverOffload offload = new BlockingDriverOffload(Set.of("PostgreSQL"), Schedulers.boundedElastic());
		assertThat(offload.decorate(h2)).isSameAs(h2);
	}

}
