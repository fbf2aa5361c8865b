package dev.cloudref.starter.web;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Makes Spring's JSON codecs read request bodies as written: no float-to-int truncation,
 * scalar coercion, duplicate keys or {@code null} primitives, so an ambiguous body is a
 * {@code 400}. Off with {@code cloudref.json.strict=false}.
 */
@AutoConfiguration
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnProperty(name = "cloudref.json.strict", matchIfMissing = true)
public class StrictJsonAutoConfiguration {

	/**
	 * A request's idempotency fingerprint is taken from the record read this way, so two
	 * bodies with the same fingerprint say the same thing.
	 * @return a customizer of Spring Boot's {@link JsonMapper.Builder} with the rules
	 * above
	 */
	@Bean
	public JsonMapperBuilderCustomizer strictJsonMapperBuilderCustomizer() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.withCoercionConfig(LogicalType.Integer,
					config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float,
					config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual,
					config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
