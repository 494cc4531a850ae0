package io.couponrush.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * A request body's scalars are read as the OpenAPI document types them, or the request is refused
 * ({@code 400 MALFORMED_REQUEST} naming the field, see {@link ProblemHandler}) before anything is written.
 *
 * <p>{@code spring.jackson.mapper.allow-coercion-of-scalars: false} is not enough, because Jackson
 * keeps three coercions outside that switch: a JSON number or boolean is accepted as a string
 * ({@code "name": 0} stored as "0"); a blank string, which for Jackson is any run of characters up to
 * U+0020 and so includes {@code "\u0000"}, becomes {@code null} for a number, boolean or date (an
 * optional {@code perUserLimit} then takes its default); and a number is an enum's index
 * ({@code "role": 1} is ADMIN). Those are turned off here with Jackson's coercion configuration.
 *
 * <p>Dates need more: Jackson's {@code java.time} readers take a number, or a string of digits, as an
 * epoch timestamp and consult no coercion setting or leniency for it. So every date/time reader is
 * wrapped to accept only a JSON string that is not a bare number.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictScalars() {
        return builder -> builder
                // {"email":"a","email":"b"}: which one counts is the reader's guess; refused instead
                .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfigDefaults(all -> all.setAcceptBlankAsEmpty(false))
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, names -> names
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .addModule(new SimpleModule("couponrush-dates-as-text").setDeserializerModifier(new ValueDeserializerModifier() {
                    @Override
                    public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                            BeanDescription.Supplier bean, ValueDeserializer<?> deserializer) {
                        return deserializer.logicalType() == LogicalType.DateTime ? new DateAsText(deserializer) : deserializer;
                    }
                }));
    }

    /** A date/time is an ISO-8601 string; a number (or a string of one) is refused, not read as epoch time. */
    static final class DateAsText extends DelegatingDeserializer {

        DateAsText(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new DateAsText(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.handleUnexpectedToken(context.constructType(handledType()), parser);
            }
            var text = parser.getString().strip();
            if (!text.isEmpty() && text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) {
                return context.handleWeirdStringValue(handledType(), text, "a date-time is ISO-8601 text, not a number");
            }
            return super.deserialize(parser, context);
        }
    }
}
