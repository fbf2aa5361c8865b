package dev.cloudref.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker does what the services ask of RabbitMQ, through RabbitMQ's own Java
 * client: a durable topic exchange and queues, publisher confirms, mandatory messages
 * returned when no queue takes them, and manual acknowledgements.
 */
class EmbeddedBrokerTest {

	@TempDir
	static Path work;

	static EmbeddedBroker broker;

	static Connection connection;

	@BeforeAll
	static void start() throws Exception {
		broker = EmbeddedBroker.start("127.0.0.1", freePort(), "guest", "guest", work);
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(broker.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setVirtualHost("/");
		connection = factory.newConnection();
	}

	@AfterAll
	static void stop() throws IOException {
		connection.close();
		broker.close();
	}

	@Test
	void confirmsRoutesAndDeliversAPersistentMessageOfATopicExchange() throws Exception {
		try (Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("events-a", "topic", true);
			channel.queueDeclare("consumer-a", true, false, false, null);
			channel.queueBind("consumer-a", "events-a", "order.placed");
			channel.confirmSelect();

			channel.basicPublish("events-a", "order.placed", true,
					new AMQP.BasicProperties.Builder().messageId("m-1").deliveryMode(2).build(),
					"{\"n\":1}".getBytes(StandardCharsets.UTF_8));

			assertThat(channel.waitForConfirms(5000)).as("acknowledged by the broker").isTrue();
			GetResponse received = channel.basicGet("consumer-a", false);
			assertThat(received).isNotNull();
			assertThat(received.getProps().getMessageId()).isEqualTo("m-1");
			assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
			channel.basicAck(received.getEnvelope().getDeliveryTag(), false);
			assertThat(channel.basicGet("consumer-a", false)).as("acknowledged, gone").isNull();
		}
	}

	@Test
	void returnsAMandatoryMessageThatNoQueueTakes() throws Exception {
		try (Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("events-b", "topic", true);
			CompletableFuture<Integer> returned = new CompletableFuture<>();
			channel.addReturnListener(message -> returned.complete(message.getReplyCode()));
			channel.confirmSelect();

			channel.basicPublish("events-b", "order.placed", true, new AMQP.BasicProperties(),
					"{}".getBytes(StandardCharsets.UTF_8));

			assertThat(returned.get(5, TimeUnit.SECONDS)).as("AMQP reply code NO_ROUTE").isEqualTo(312);
			// Unlike RabbitMQ, which confirms a returned message, Qpid refuses it (nack):
			// either way the outbox relay keeps the event.
			assertThat(channel.waitForConfirms(5000)).isFalse();
		}
	}

	@Test
	void redeliversAnUnacknowledgedMessageWhenItsConsumerIsGone() throws Exception {
		try (Channel setup = connection.createChannel()) {
			setup.queueDeclare("consumer-c", true, false, false, null);
			setup.basicPublish("", "consumer-c", new AMQP.BasicProperties(), "x".getBytes(StandardCharsets.UTF_8));
		}
		Channel first = connection.createChannel();
		GetResponse taken = first.basicGet("consumer-c", false);
		assertThat(taken).isNotNull();
		first.close();

		try (Channel second = connection.createChannel()) {
			GetResponse again = second.basicGet("consumer-c", true);
			assertThat(again).isNotNull();
			assertThat(again.getEnvelope().isRedeliver()).isTrue();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
