package dev.cloudref.order.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.FakeService;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's side of the {@code OrderPlaced} contract
 * ({@code contracts/events/order-placed.schema.json}): the whole order-service, with
 * user-service played by a {@link FakeService}, publishing through the outbox to the real
 * RabbitMQ (127.0.0.1:5672; the tests' own exchange, {@code order-events-test}). A queue
 * of the test's own is bound like a consumer's.
 */
class OrderEventsContractTest extends AbstractServiceTest {

	static final FakeService userService = new FakeService("user-service");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.of(userService);

	static final UUID KNOWN_USER = UUID.randomUUID();

	@Autowired
	RabbitAdmin admin;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	OutboxProperties outbox;

	@Autowired
	DatabaseClient database;

	@Autowired
	MeterRegistry meters;

	private final JsonMapper json = JsonMapper.builder().build();

	private Queue queue;

	@BeforeEach
	void bindQueue() throws InterruptedException {
		userService
			.reset(request -> request.getUrl().encodedPath().equals("/users/" + KNOWN_USER) ? FakeService.json(200, """
					{"id":"%s","name":"Known User","email":"known@example.com","createdAt":"2025-01-01T00:00:00Z"}
					""".formatted(KNOWN_USER))
					: new MockResponse.Builder().code(404)
						.setHeader("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE)
						.body("{\"status\":404,\"title\":\"User not found\"}")
						.build());
		// Neither exclusive nor auto-delete: a timed receive consumes and cancels, which
		// would delete an auto-delete queue; deleted after each test instead.
		queue = new Queue("order-events-contract-test-" + UUID.randomUUID(), false, false, false);
		admin.declareQueue(queue);
		admin.declareBinding(binding());
	}

	private Binding binding() {
		return BindingBuilder.bind(queue).to(new TopicExchange(outbox.exchange())).with("order.placed");
	}

	/**
	 * Waits until the relay tried the order's event and the broker returned it.
	 * @return the event's id
	 */
	private String awaitUnroutable(String orderId) {
		double before = unroutable();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (unroutable() <= before && System.nanoTime() < deadline) {
			sleep(100);
		}
		assertThat(unroutable()).as("events the broker returned").isGreaterThan(before);
		return database.sql("SELECT id, published_at FROM outbox_events WHERE payload LIKE :order")
			.bind("order", "%" + orderId + "%")
			.map(row -> {
				assertThat(row.get("published_at")).as("still unpublished").isNull();
				return row.get("id", UUID.class).toString();
			})
			.one()
			.block(Duration.ofSeconds(5));
	}

	private double unroutable() {
		Counter counter = meters.find("cloudref.outbox.publish.failures").tag("reason", "unroutable").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@AfterEach
	void deleteQueue() {
		admin.deleteQueue(queue.getName());
	}

	@Test
	void aPlacedOrdersEventMatchesTheContractAndCarriesTheRequestsTrace() throws IOException {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		Map<String, Object> order = placeOrder(KNOWN_USER, "BOOK-42", 3,
				"00-" + traceId + "-" + traceId.substring(0, 16) + "-01");

		Message message = rabbit.receive(queue.getName(), 15_000);

		assertThat(message).as("the order's event reached a bound queue").isNotNull();
		MessageProperties properties = message.getMessageProperties();
		JsonNode body = json.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
		assertThat(contractSchema().validate(body)).as("violations of the contract").isEmpty();
		assertThat(properties.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_JSON);
		assertThat(properties.getType()).isEqualTo("OrderPlaced");
		assertThat(properties.getReceivedRoutingKey()).isEqualTo("order.placed");
		assertThat(properties.getMessageId()).isEqualTo(body.get("eventId").asString());
		assertThat(body.get("orderId").asString()).isEqualTo(order.get("id"));
		assertThat(body.get("userId").asString()).isEqualTo(KNOWN_USER.toString());
		assertThat(body.get("sku").asString()).isEqualTo("BOOK-42");
		assertThat(body.get("quantity").asInt()).isEqualTo(3);
		assertThat(body.get("createdAt").asString()).isEqualTo(order.get("createdAt"));
		assertThat((String) properties.getHeader("traceparent")).as("the W3C trace context of the message")
			.startsWith("00-" + traceId + "-");
		assertThat(awaitPublishedAt(body.get("eventId").asString())).as("the outbox row is marked published")
			.isNotNull();
	}

	/**
	 * With no queue bound, the broker returns the event: it stays in the outbox and is
	 * published once a queue is bound again.
	 */
	@Test
	void anEventNoQueueTakesStaysInTheOutboxUntilOneIs() {
		admin.removeBinding(binding());
		Map<String, Object> order = placeOrder(KNOWN_USER, "UNBOUND-1", 1, null);
		String eventId = awaitUnroutable(order.get("id").toString());

		assertThat(rabbit.receive(queue.getName(), 500)).isNull();
		admin.declareBinding(binding());
		Message message = rabbit.receive(queue.getName(), 15_000);

		assertThat(message).as("published after the queue was bound again").isNotNull();
		assertThat(message.getMessageProperties().getMessageId()).isEqualTo(eventId);
		assertThat(awaitPublishedAt(eventId)).isNotNull();
	}

	@Test
	void theContractsExampleIsValid() throws IOException {
		JsonNode example = json.readTree(Files.readString(contracts().resolve("order-placed.example.json")));
		assertThat(contractSchema().validate(example)).isEmpty();
	}

	@Test
	void aRefusedOrderStoresAndPublishesNoEvent() {
		UUID unknownUser = UUID.randomUUID();
		client.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", unknownUser, "sku", "PEN-1", "quantity", 1))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
		// A placed order afterwards: its event comes, and nothing before it.
		placeOrder(KNOWN_USER, "PEN-2", 1, null);

		Message first = rabbit.receive(queue.getName(), 15_000);

		assertThat(first).isNotNull();
		assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).contains("PEN-2")
			.doesNotContain(unknownUser.toString());
		assertThat(database.sql("SELECT COUNT(*) FROM outbox_events WHERE payload LIKE :user")
			.bind("user", "%" + unknownUser + "%")
			.map(row -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(5))).isZero();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> placeOrder(UUID user, String sku, int quantity, String traceparent) {
		return client.post().uri("/orders").headers(headers -> {
			if (traceparent != null) {
				headers.set("traceparent", traceparent);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", user, "sku", sku, "quantity", quantity))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	/** The row is marked after the broker's confirm, which may follow the delivery. */
	private Object awaitPublishedAt(String eventId) {
		return database.sql("SELECT published_at FROM outbox_events WHERE id = :id")
			.bind("id", UUID.fromString(eventId))
			.map(row -> Optional.ofNullable(row.get("published_at")))
			.one()
			.flatMap(published -> Mono.justOrEmpty(published))
			.repeatWhenEmpty(10, repeats -> repeats.delayElements(Duration.ofMillis(200)))
			.block(Duration.ofSeconds(5));
	}

	private static Schema contractSchema() throws IOException {
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(Files.readString(contracts().resolve("order-placed.schema.json")));
	}

	/** The contracts directory of the repository (this test runs in order-service/). */
	private static Path contracts() {
		return Path.of("..", "contracts", "events");
	}

}
