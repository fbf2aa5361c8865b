package dev.cloudref.user.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.boot.amqp.autoconfigure.RabbitListenerRetrySettingsCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker's side of the order statistics: the exchange, this service's queue and its
 * dead-letter queue (declared, durable, whenever the service connects), JSON messages,
 * and what happens to an event that fails: retried with back-off
 * ({@code spring.rabbitmq.listener.simple.retry.*}), unless it can never be applied, then
 * republished to the dead-letter queue with the reason.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrderEventsProperties.class)
class OrderEventsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(OrderEventsConfiguration.class);

	static final String ORDER_PLACED = "order.placed";

	@Bean
	TopicExchange orderEventsExchange(OrderEventsProperties properties) {
		return ExchangeBuilder.topicExchange(properties.exchange()).durable(true).build();
	}

	@Bean
	Queue orderStatsQueue(OrderEventsProperties properties) {
		return QueueBuilder.durable(properties.queue()).build();
	}

	@Bean
	Queue orderStatsDeadLetterQueue(OrderEventsProperties properties) {
		return QueueBuilder.durable(properties.deadLetterQueue()).build();
	}

	@Bean
	Binding orderPlacedBinding(Queue orderStatsQueue, TopicExchange orderEventsExchange) {
		return BindingBuilder.bind(orderStatsQueue).to(orderEventsExchange).with(ORDER_PLACED);
	}

	/** Message bodies are JSON (Jackson); unknown fields are ignored. */
	@Bean
	JacksonJsonMessageConverter jsonMessageConverter() {
		return new JacksonJsonMessageConverter();
	}

	/**
	 * After the last retry, or at once for an event that can never be applied: the
	 * message goes to the dead-letter queue (through the default exchange) with headers
	 * {@code x-exception-message}, {@code x-exception-stacktrace},
	 * {@code x-original-exchange} and {@code x-original-routingKey}, and the queue goes
	 * on with the next event.
	 */
	@Bean
	MessageRecoverer deadLetters(RabbitTemplate rabbit, OrderEventsProperties properties, MeterRegistry meters) {
		RepublishMessageRecoverer republish = new RepublishMessageRecoverer(rabbit, "", properties.deadLetterQueue());
		Counter deadLettered = Counter.builder("cloudref.events.dead.lettered")
			.description("Events moved to the dead-letter queue")
			.tag("queue", properties.queue())
			.register(meters);
		return (message, cause) -> {
			log.warn("Event {} moved to {}: {}", message.getMessageProperties().getMessageId(),
					properties.deadLetterQueue(), OrderStatsListener.reason(cause));
			republish.recover(message, cause);
			deadLettered.increment();
		};
	}

	/** Retry what may succeed later (the database), not what never will. */
	@Bean
	RabbitListenerRetrySettingsCustomizer retryTransientFailuresOnly() {
		return settings -> settings.setExceptionPredicate(failure -> !isPoison(failure));
	}

	static boolean isPoison(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidEventException || cause instanceof MessageConversionException) {
				return true;
			}
		}
		return false;
	}

}
