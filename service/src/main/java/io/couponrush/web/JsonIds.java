package io.couponrush.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * Every 64-bit id in an API answer is a JSON string ({@code "userCouponId":"250297976830820352"}).
 * Grant ids are time-ordered and above 2^53, where a JavaScript number (an IEEE double) can no longer
 * hold every integer: read as numbers they silently change value and different grants collapse into
 * one. User and coupon ids follow the same rule, so a client handles every id the same way.
 *
 * <p>The rule is by name, so no answer can forget it: a {@code long}/{@code Long} property named
 * {@code id} or ending in {@code Id}. The OpenAPI document says the same ({@code type: string,
 * format: int64}). Other numbers (amounts, counts) stay numbers.
 */
@Configuration(proxyBeanMethods = false)
class JsonIds {

    static boolean isId(String property) {
        return property.equals("id") || property.endsWith("Id");
    }

    /** Picked up by Boot's Jackson auto-configuration, so it applies to every JSON answer. */
    @Bean
    JacksonModule idsAsStrings() {
        return new SimpleModule("couponrush-ids-as-strings").setSerializerModifier(new ValueSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription.Supplier bean,
                    List<BeanPropertyWriter> properties) {
                for (var property : properties) {
                    var type = property.getType();
                    if (isId(property.getName()) && (type.hasRawClass(long.class) || type.hasRawClass(Long.class))) {
                        property.assignSerializer(ToStringSerializer.instance);
                    }
                }
                return properties;
            }
        });
    }

    @Bean
    OpenApiCustomizer idsAsStringsInTheSchema() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            openApi.getComponents().getSchemas().values().forEach(JsonIds::stringIds);
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void stringIds(Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        properties.forEach((name, property) -> {
            if (isId(name) && "int64".equals(property.getFormat())) {
                property.setType("string");
                property.setTypes(Set.of("string"));
            }
        });
    }
}
