package dev.cloudref.user.stats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cloudref.testsupport.AbstractServiceTest;
import dev.cloudref.testsupport.FakeService;
import dev.cloudref.testsupport.TestEnvironment;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's side of the {@code OrderPlaced} contract: the whole user-service on H2,
 * taking events from the real RabbitMQ (127.0.0.1:5672; the tests' own exchange and
 * queues), starting from the contract's example ({@code contracts/events/}).
 */
class OrderStatsConsumerTest extends AbstractServiceTest {

	static final FakeService orderService = new FakeService("order-service");

	@RegisterExtension
	static final TestEnvironment environment = TestEnvironment.of(orderService);

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	RabbitAdmin admin;

	@Autowired
	OrderEventsProperties events;

	private final JsonMapper json = JsonMapper.builder().build();

	private UUID user;

	@BeforeEach
	void createUser() {
		admin.purgeQueue(events.deadLetterQueue(), false);
		Map<?, ?> created = client.post()
			.uri("/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Stats User", "email", UUID.randomUUID() + "@example.com"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		user = UUID.fromString((String) created.get("id"));
	}

	@Test
	void anEventDeliveredTwiceCountsOnceAndTheLatestOrderWinsWhateverTheOrderOfArrival()
			throws IOException, InterruptedException {
		ObjectNode later = event(user, Instant.parse("2026-03-02T10:00:00Z"));
		ObjectNode earlier = event(user, Instant.parse("2026-03-01T10:00:00Z"));

		publish(later);
		publish(later);
		publish(earlier);

		Map<?, ?> stats = awaitStats(user, 2);
		assertThat(stats.get("orderCount")).isEqualTo(2);
		assertThat(stats.get("lastOrderId")).isEqualTo(later.get("orderId").asString());
		assertThat(stats.get("lastOrderAt")).isEqualTo("2026-03-02T10:00:00Z");
		// The duplicate was taken from the queue and ignored, not applied late.
		publish(event(user, Instant.parse("2026-03-03T10:00:00Z")));
		assertThat(awaitStats(user, 3).get("orderCount")).isEqualTo(3);
	}

	@Test
	void poisonMessagesAreDeadLetteredWithTheirReasonAndTheQueueGoesOn() throws IOException, InterruptedException {
		ObjectNode otherVersion = event(user, Instant.parse("2026-03-01T10:00:00Z"));
		otherVersion.put("schemaVersion", 2);
		rabbit.send(events.exchange(), "order.placed", jsonMessage("{not json", UUID.randomUUID().toString()));
		publish(otherVersion);
		publish(event(user, Instant.parse("2026-03-04T10:00:00Z")));

		assertThat(awaitStats(user, 1).get("orderCount")).as("the good event after the poison ones").isEqualTo(1);
		Message notJson = rabbit.receive(events.deadLetterQueue(), 10_000);
		Message wrongVersion = rabbit.receive(events.deadLetterQueue(), 10_000);
		assertThat(notJson).isNotNull();
		assertThat(wrongVersion).isNotNull();
		assertThat(new String(notJson.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
		assertThat(
				(String) wrongVersion.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("schemaVersion 2 is not 1");
		assertThat((String) wrongVersion.getMessageProperties()
			.getHeader(RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY)).isEqualTo("order.placed");
	}

	@Test
	void statsOfAnUnknownUserAre404AndOfAUserWithoutOrdersZero() {
		client.get().uri("/users/{id}/stats", UUID.randomUUID()).exchange().expectStatus().isNotFound();
		client.get()
			.uri("/users/{id}/stats", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.orderCount")
			.isEqualTo(0)
			.jsonPath("$.lastOrderId")
			.doesNotExist();
	}

	/** The contract's example, as another order of the user. */
	private ObjectNode event(UUID userId, Instant createdAt) throws IOException {
		ObjectNode event = (ObjectNode) json
			.readTree(Files.readString(Path.of("..", "contracts", "events", "order-placed.example.json")));
		event.put("eventId", UUID.randomUUID().toString());
		event.put("orderId", UUID.randomUUID().toString());
		event.put("userId", userId.toString());
		event.put("createdAt", createdAt.toString());
		return event;
	}

	private void publish(ObjectNode event) {
		rabbit.send(events.exchange(), "order.placed",
				jsonMessage(json.writeValueAsString(event), event.get("eventId").asString()));
	}

	private static Message jsonMessage(String body, String messageId) {
		return MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
			.setContentType(MessageProperties.CONTENT_TYPE_JSON)
			.setMessageId(messageId)
			.setType("OrderPlaced")
			.build();
	}

	/** Events are applied shortly after they are published: asks until they are. */
	private Map<?, ?> awaitStats(UUID userId, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		Map<?, ?> stats;
		do {
			Thread.sleep(100);
			stats = client.get()
				.uri("/users/{id}/stats", userId)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
		}
		while (((Number) stats.get("orderCount")).intValue() < count && System.nanoTime() < deadline);
		return stats;
	}

}
