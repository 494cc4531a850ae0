package io.couponrush.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text a person can read: no control characters (NUL, escape sequences, …), and, unless {@link #optional()},
 * at least one visible character. "Visible" excludes what {@code @NotBlank} lets through and still
 * shows nothing: non-breaking and other Unicode spaces, zero-width and other format characters
 * (U+200B, U+200D, U+2060, U+FEFF), combining marks on their own, and letters that render blank
 * (Hangul fillers, braille blank). {@code null} is left to {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = PrintableText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PrintableText {

    String message() default "must contain visible characters and no control characters";

    /** Whether line breaks and tabs are allowed (free text such as a description). */
    boolean multiline() default false;

    /** Whether text with nothing visible (empty, spaces only) is allowed. */
    boolean optional() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<PrintableText, CharSequence> {

        private boolean multiline;
        private boolean optional;

        @Override
        public void initialize(PrintableText annotation) {
            multiline = annotation.multiline();
            optional = annotation.optional();
        }

        @Override
        public boolean isValid(CharSequence text, ConstraintValidatorContext context) {
            if (text == null) {
                return true;
            }
            boolean visible = false;
            for (int i = 0; i < text.length(); ) {
                int c = Character.codePointAt(text, i);
                i += Character.charCount(c);
                if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                    return false;
                }
                if (Character.getType(c) == Character.SURROGATE) {
                    return false; // half of a pair: not a character at all
                }
                visible |= isVisible(c);
            }
            return visible || optional;
        }

        static boolean isVisible(int c) {
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return false;
            }
            return switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                        Character.COMBINING_SPACING_MARK, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
                // letters and symbols that render as nothing
                default -> c != 0x115F && c != 0x1160 && c != 0x3164 && c != 0xFFA0 && c != 0x2800;
            };
        }
    }
}
