package io.reefline.platform.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads request bodies strictly, for every service: a value must already have its field's JSON type. Refused are
 * numbers for strings, strings or numbers for booleans, strings for numbers, fractions for integers, numbers beyond
 * the range of a floating-point field ({@code 1e309}), epoch numbers for times and durations, numbers for enums,
 * NUL characters in text, and anything after the JSON document. Each refusal is a mapping error that names the
 * field, which {@code ProblemMappers} turns into a 400.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    private static final Set<JsonToken> TEXT = EnumSet.of(JsonToken.VALUE_STRING);
    private static final Set<JsonToken> BOOLEAN = EnumSet.of(JsonToken.VALUE_TRUE, JsonToken.VALUE_FALSE);
    private static final Set<JsonToken> INTEGER = EnumSet.of(JsonToken.VALUE_NUMBER_INT);
    private static final Set<JsonToken> NUMBER = EnumSet.of(JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_NUMBER_FLOAT);

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** Makes {@code mapper} strict; also usable where no CDI container runs. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.setNodeFactory(new NulRefusingNodeFactory());
        SimpleModule module = new SimpleModule("reefline-strict-json");
        module.setDeserializerModifier(new ScalarGuard());
        mapper.registerModule(module);
        return mapper;
    }

    /** Thrown when a free-form JSON body (read as a tree) carries a NUL character in a text value. */
    public static final class NulCharacterException extends RuntimeException {
        NulCharacterException() {
            super("text values must not contain NUL characters");
        }
    }

    /** A value refused by the strict rules; its message says what the field must be. */
    public static final class Refusal extends MismatchedInputException {
        private final String rule;

        Refusal(JsonParser p, Class<?> type, String rule) {
            super(p, rule, type);
            this.rule = rule;
        }

        /** What the value must be, e.g. {@code must be a string}. */
        public String rule() {
            return rule;
        }
    }

    private static final class NulRefusingNodeFactory extends JsonNodeFactory {
        NulRefusingNodeFactory() {
            super(false);
        }

        @Override
        public TextNode textNode(String text) {
            if (text != null && text.indexOf('\0') >= 0) {
                throw new NulCharacterException();
            }
            return super.textNode(text);
        }
    }

    /** Wraps the deserializer of every scalar type with a check of the JSON token it starts from. */
    private static final class ScalarGuard extends BeanDeserializerModifier {

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            if (type == String.class) {
                return new TokenCheck(deserializer, type, TEXT, "a string");
            }
            if (type == Boolean.class || type == boolean.class) {
                return new TokenCheck(deserializer, type, BOOLEAN, "true or false");
            }
            if (type == Integer.class
                    || type == int.class
                    || type == Long.class
                    || type == long.class
                    || type == Short.class
                    || type == short.class
                    || type == Byte.class
                    || type == byte.class
                    || type == BigInteger.class) {
                return new TokenCheck(deserializer, type, INTEGER, "a whole number");
            }
            if (type == Double.class
                    || type == double.class
                    || type == Float.class
                    || type == float.class
                    || type == BigDecimal.class) {
                return new TokenCheck(deserializer, type, NUMBER, "a number");
            }
            if (Temporal.class.isAssignableFrom(type) || TemporalAmount.class.isAssignableFrom(type)) {
                return new TokenCheck(deserializer, type, TEXT, "an ISO-8601 string");
            }
            return deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(
                DeserializationConfig config, JavaType type, BeanDescription description, JsonDeserializer<?> d) {
            return new TokenCheck(d, type.getRawClass(), TEXT, "a string");
        }
    }

    /** Accepts only the given tokens (and null, which the field's own null handling decides on). */
    private static final class TokenCheck extends DelegatingDeserializer {

        private final Class<?> type;
        private final Set<JsonToken> accepted;
        private final String expected;

        TokenCheck(JsonDeserializer<?> delegate, Class<?> type, Set<JsonToken> accepted, String expected) {
            super(delegate);
            this.type = type;
            this.accepted = accepted;
            this.expected = expected;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new TokenCheck(newDelegatee, type, accepted, expected);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws java.io.IOException {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_NULL && !accepted.contains(token)) {
                throw new Refusal(p, type, "must be " + expected);
            }
            Object value = super.deserialize(p, ctxt);
            if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
                throw new Refusal(p, type, "must be a finite number");
            }
            if (value instanceof String s && s.indexOf('\0') >= 0) {
                throw new Refusal(p, type, "must not contain NUL characters");
            }
            return value;
        }
    }
}
