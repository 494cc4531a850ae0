package io.couponrush.coupon;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An instant in the years 2000 to 9999 (UTC). JSON accepts any year ({@code +999999-01-01T00:00:00Z}),
 * a {@code DATETIME} column does not; and no coupon window is meant to lie outside these years.
 * {@code null} is left to {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = SupportedInstant.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface SupportedInstant {

    int MIN_YEAR = 2000;
    int MAX_YEAR = 9999;

    String message() default "must be in the years " + MIN_YEAR + " to " + MAX_YEAR + " (UTC)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<SupportedInstant, Instant> {

        @Override
        public boolean isValid(Instant instant, ConstraintValidatorContext context) {
            if (instant == null) {
                return true;
            }
            int year = instant.atOffset(ZoneOffset.UTC).getYear();
            return year >= MIN_YEAR && year <= MAX_YEAR;
        }
    }
}
