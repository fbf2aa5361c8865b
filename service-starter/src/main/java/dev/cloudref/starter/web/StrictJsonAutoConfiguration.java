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
 * Makes the application's JSON mapper (the one Spring's codecs use for request bodies)
 * read JSON as written, instead of guessing: a request that means something else than
 * it says is a {@code 400} problem, not a quietly different record.
 *
 * <ul>
 * <li>{@code "quantity": 1.5} is refused, not truncated to 1 (Jackson's
 * {@code ACCEPT_FLOAT_AS_INT} is on by default);</li>
 * <li>{@code "quantity": "7"} and {@code "sku": 7} are refused: no string to number,
 * number to string or string to boolean coercion;</li>
 * <li>a duplicate key (<code>{"sku":"A","sku":"B"}</code>) is refused, rather than the last
 * one winning (RFC 8259 §4 leaves duplicate names' meaning undefined);</li>
 * <li>{@code null} for a primitive field is refused, not read as 0 or false.</li>
 * </ul>
 * A request's idempotency fingerprint is taken from the record read this way, so two
 * bodies with the same fingerprint say the same thing. Off with
 * {@code cloudref.json.strict=false}.
 */
@AutoConfiguration
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnProperty(name = "cloudref.json.strict", matchIfMissing = true)
public class StrictJsonAutoConfiguration {

	/**
	 * @return a customizer of Spring Boot's {@link JsonMapper.Builder} with the rules above
	 */
	@Bean
	public JsonMapperBuilderCustomizer strictJsonMapperBuilderCustomizer() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.withCoercionConfig(LogicalType.Integer, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
