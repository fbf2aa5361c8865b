package dev.cloudref.order.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The exchange the outbox publishes to, declared (durable) on the broker whenever the
 * service connects to it, so that it exists before the first event and after a broker was
 * reset.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
class OutboxConfiguration {

	private static final Logger log = LoggerFactory.getLogger(OutboxConfiguration.class);

	@Bean
	TopicExchange eventExchange(OutboxProperties properties) {
		return ExchangeBuilder.topicExchange(properties.exchange()).durable(true).build();
	}

	/**
	 * A message the broker returned (no queue bound for it) reaches the relay through its
	 * correlation data, and the relay keeps the event and says so once: the template's
	 * own warning for each returned message (when it has no callback) would repeat that
	 * on every retry.
	 */
	@Bean
	RabbitTemplateCustomizer returnedMessagesToTheRelay() {
		return template -> template.setReturnsCallback(returned -> log.debug("Returned by the broker: {} {} ({})",
				returned.getExchange(), returned.getRoutingKey(), returned.getReplyText()));
	}

}
