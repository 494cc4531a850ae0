package io.couponrush.coupon;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a strategy by its public id ({@code redis-lock}), the same string the API speaks. */
@Converter(autoApply = true)
class StrategyConverter implements AttributeConverter<Strategy, String> {

    @Override
    public String convertToDatabaseColumn(Strategy strategy) {
        return strategy == null ? null : strategy.id();
    }

    @Override
    public Strategy convertToEntityAttribute(String id) {
        return id == null ? null : Strategy.byId(id)
                .orElseThrow(() -> new IllegalStateException("unknown strategy in database: " + id));
    }
}
