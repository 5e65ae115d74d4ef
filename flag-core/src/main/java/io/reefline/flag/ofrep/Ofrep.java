package io.reefline.flag.ofrep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.reefline.flag.domain.ErrorCode;
import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) as one piece of plain Java, so the primary and every follower
 * answer byte for byte alike: the SDK key decides the environment ({@code X-API-Key}, else {@code Authorization:
 * Bearer}); the request's {@code context} is evaluated with the tenant attributes the caller did not give; the bulk
 * answer carries an ETag and a matching {@code If-None-Match} gets 304. No I/O and no locks: it reads the source's
 * current immutable state, so callers may run it on an event loop.
 */
public final class Ofrep {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final String BEARER = "Bearer ";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * An OFREP answer.
     *
     * @param etag the ETag header's value, or null
     * @param wwwAuthenticate whether to send {@code WWW-Authenticate: Bearer} (a 401)
     * @param body the body; empty for a 304
     */
    public record Answer(int status, String contentType, String etag, boolean wwwAuthenticate, byte[] body) {}

    private final OfrepSource source;

    public Ofrep(OfrepSource source) {
        this.source = source;
    }

    /** {@code POST /ofrep/v1/evaluate/flags/{key}}. */
    public Answer evaluate(String flagKey, String apiKey, String authorization, byte[] body) {
        Object environment = environment(apiKey, authorization);
        if (environment instanceof Answer refused) {
            return refused;
        }
        EnvironmentFlags flags = (EnvironmentFlags) environment;
        Map<String, Object> given;
        try {
            given = context(body);
        } catch (InvalidContext e) {
            return json(400, null, gen -> writeError(gen, flagKey, ErrorCode.INVALID_CONTEXT, e.getMessage()));
        }
        EvaluationContext evaluationContext = enriched(given, source.tenants().missing(given));
        EvaluationResult result = withMissingTargetingKey(
                flags, flags.evaluator().evaluate(flagKey, evaluationContext), evaluationContext);
        if (result.isError()) {
            int status = result.errorCode() == ErrorCode.FLAG_NOT_FOUND ? 404 : 400;
            EvaluationResult error = result;
            return json(status, null, gen -> writeError(gen, flagKey, error.errorCode(), error.errorMessage()));
        }
        return new Answer(200, JSON, null, false, success(flags, result));
    }

    /** {@code POST /ofrep/v1/evaluate/flags}: every flag of the key's environment, with an ETag. */
    public Answer evaluateAll(String apiKey, String authorization, String ifNoneMatch, byte[] body) {
        Object environment = environment(apiKey, authorization);
        if (environment instanceof Answer refused) {
            return refused;
        }
        EnvironmentFlags flags = (EnvironmentFlags) environment;
        Map<String, Object> given;
        try {
            given = context(body);
        } catch (InvalidContext e) {
            return json(400, null, gen -> {
                gen.writeStartObject();
                gen.writeStringField("errorCode", ErrorCode.INVALID_CONTEXT.name());
                gen.writeStringField("errorDetails", e.getMessage());
                gen.writeEndObject();
            });
        }
        Map<String, Object> added = source.tenants().missing(given);
        String etag = etag(flags, body, added);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return new Answer(304, null, etag, false, new byte[0]);
        }
        EvaluationContext evaluationContext = enriched(given, added);
        List<EvaluationResult> results = flags.evaluator().evaluateAll(evaluationContext);
        Bytes answer = new Bytes(64 + 96 * results.size());
        answer.append(BULK_START);
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                answer.append(COMMA);
            }
            EvaluationResult result = withMissingTargetingKey(flags, results.get(i), evaluationContext);
            if (result.isError()) {
                answer.append(json(
                                200,
                                null,
                                gen -> writeError(gen, result.flagKey(), result.errorCode(), result.errorMessage()))
                        .body());
            } else {
                answer.append(success(flags, result));
            }
        }
        answer.append(BULK_END);
        return new Answer(200, JSON, etag, false, answer.toByteArray());
    }

    /**
     * OFREP's provider configuration ({@code GET /ofrep/v1/configuration}): what this server supports, so providers
     * that opt in can set themselves up. Needs an SDK key like evaluation; 304 on a matching {@code If-None-Match}.
     */
    public Answer configuration(String apiKey, String authorization, String ifNoneMatch, Configuration configuration) {
        if (environment(apiKey, authorization) instanceof Answer refused) {
            return refused;
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, configuration.etag())) {
            return new Answer(304, null, configuration.etag(), false, new byte[0]);
        }
        return new Answer(200, JSON, configuration.etag(), false, configuration.body());
    }

    /** A provider configuration document and its ETag. */
    public record Configuration(byte[] body, String etag) {

        /**
         * Bulk evaluation answers {@code If-None-Match} with 304, so polling is supported; there is no point in
         * polling faster than changes reach every replica, which is the minimum interval announced. Every flag type
         * OFREP knows is served.
         */
        public static Configuration of(String name, Duration minPolling) {
            Answer document = json(200, null, gen -> {
                gen.writeStartObject();
                gen.writeStringField("name", name);
                gen.writeObjectFieldStart("capabilities");
                gen.writeObjectFieldStart("cacheInvalidation");
                gen.writeObjectFieldStart("polling");
                gen.writeBooleanField("enabled", true);
                gen.writeNumberField("minPollingIntervalMs", minPolling.toMillis());
                gen.writeEndObject();
                gen.writeEndObject();
                gen.writeObjectFieldStart("flagEvaluation");
                gen.writeArrayFieldStart("supportedTypes");
                for (String type : List.of("boolean", "string", "int", "float", "object")) {
                    gen.writeString(type);
                }
                gen.writeEndArray();
                gen.writeEndObject();
                gen.writeEndObject();
                gen.writeEndObject();
            });
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(document.body());
                return new Configuration(document.body(), "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    /**
     * The environment an SDK key evaluates; or the answer for a missing or unknown key (401) and a revoked key or one
     * whose environment is gone (403). Also for OFREP's other endpoints (e.g. its configuration).
     */
    public Object environment(String apiKey, String authorization) {
        String key = apiKey;
        if ((key == null || key.isBlank())
                && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorization.substring(BEARER.length()).strip();
        }
        if (key == null || key.isBlank()) {
            return problem(
                    401, "Unauthorized", "An SDK key is required (X-API-Key: <key> or Authorization: Bearer <key>)");
        }
        KeyBinding binding = source.binding(key.strip());
        if (binding == null) {
            return problem(401, "Unauthorized", "The SDK key is not known");
        }
        EnvironmentFlags flags = source.catalog().environments().get(binding.environment());
        if (binding.revoked() || flags == null) {
            return problem(
                    403,
                    "Forbidden",
                    binding.revoked()
                            ? "The SDK key was revoked"
                            : "The SDK key's environment '" + binding.environment() + "' no longer exists");
        }
        return flags;
    }

    /** Whether an {@code If-None-Match} header names {@code etag} (weak or strong) or is {@code *}. */
    public static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** An RFC 9457 problem answer, as the services write them. */
    public static Answer problem(int status, String title, String detail) {
        return json(status, PROBLEM_JSON, null, status == 401, gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "about:blank");
            gen.writeStringField("title", title);
            gen.writeNumberField("status", status);
            gen.writeStringField("detail", detail);
            gen.writeEndObject();
        });
    }

    /**
     * The request's {@code context} object as attribute values (empty when the body has none), read in one streaming pass with
     * {@link FlagValues#fromJson}'s value rules (integers as Long, other numbers as Double, objects and arrays
     * unmodifiable); anything else is an invalid context. An empty body, a body that is not an object, duplicate keys,
     * numbers beyond a double's range and trailing tokens are refused.
     */
    private static Map<String, Object> context(byte[] body) throws InvalidContext {
        if (body == null || body.length == 0) {
            throw new InvalidContext("the request body is required: a JSON object with a context object");
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidContext("the request body is required: a JSON object with a context object");
            }
            if (first != JsonToken.START_OBJECT) {
                skipValue(parser, first);
                if (parser.nextToken() != null) {
                    throw new InvalidContext("the request body is not valid JSON");
                }
                throw new InvalidContext("the request body must be a JSON object with a context object");
            }
            Map<String, Object> context = Map.of();
            String notAnObject = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"context".equals(field)) {
                    skipValue(parser, value);
                    continue;
                }
                if (value == JsonToken.VALUE_NULL) {
                    context = Map.of();
                    notAnObject = null;
                } else if (value != JsonToken.START_OBJECT) {
                    skipValue(parser, value);
                    notAnObject = describe(value);
                } else {
                    context = readObject(parser);
                    notAnObject = null;
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidContext("the request body is not valid JSON");
            }
            if (notAnObject != null) {
                throw new InvalidContext("context must be a JSON object, not " + notAnObject);
            }
            Object targetingKey = context.get(EvaluationContext.TARGETING_KEY);
            if (targetingKey != null && !(targetingKey instanceof String)) {
                throw new InvalidContext("context.targetingKey must be a string");
            }
            return context;
        } catch (NonFiniteNumber e) {
            throw new InvalidContext("context numbers must be finite; " + e.getOriginalMessage() + " was given");
        } catch (JsonProcessingException e) {
            throw new InvalidContext("the request body is not valid JSON");
        } catch (IOException e) {
            throw new InvalidContext("the request body cannot be read");
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            default -> token.name().toLowerCase();
        };
    }

    private static void skipValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String field = parser.currentName();
            map.put(field, readValue(parser, parser.nextToken()));
        }
        return Collections.unmodifiableMap(map);
    }

    /** A number read as a double; one beyond its range ({@code 1e309}) is refused rather than read as infinity. */
    private static double finite(JsonParser parser) throws IOException {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw new NonFiniteNumber(parser);
        }
        return value;
    }

    private static final class NonFiniteNumber extends JsonParseException {
        NonFiniteNumber(JsonParser parser) {
            super(parser, "a number beyond the range of a double");
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) finite(parser)
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> finite(parser);
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken element = parser.nextToken();
                        element != JsonToken.END_ARRAY;
                        element = parser.nextToken()) {
                    list.add(readValue(parser, element));
                }
                yield Collections.unmodifiableList(list);
            }
            default -> throw new JsonParseException(parser, "unexpected " + token);
        };
    }

    /** The caller's context plus the attributes it lacks; copied only when there is something to add. */
    private static EvaluationContext enriched(Map<String, Object> given, Map<String, Object> added) {
        if (added.isEmpty()) {
            return EvaluationContext.of(given);
        }
        Map<String, Object> context = new HashMap<>(given);
        context.putAll(added);
        return EvaluationContext.of(context);
    }

    /**
     * A fractional split that buckets by the targeting key cannot place a subject without one; say so rather than
     * silently serving the default.
     */
    private static EvaluationResult withMissingTargetingKey(
            EnvironmentFlags flags, EvaluationResult result, EvaluationContext context) {
        if (result.reason() == Reason.DEFAULT
                && context.targetingKeyValue() == null
                && flags.bucketedByTargetingKey().contains(result.flagKey())) {
            return EvaluationResult.error(
                    result.flagKey(),
                    ErrorCode.TARGETING_KEY_MISSING,
                    "flag " + result.flagKey() + " splits by targetingKey, which the context does not have",
                    result.metadata());
        }
        return result;
    }

    /** A successful result's JSON: written once per snapshot for each flag, variant and reason, then reused. */
    private static byte[] success(EnvironmentFlags flags, EvaluationResult result) {
        return flags.answer(
                new EnvironmentFlags.Outcome(result.flagKey(), result.variant(), result.reason()),
                outcome -> json(200, null, gen -> writeSuccess(gen, result)).body());
    }

    private static void writeSuccess(JsonGenerator gen, EvaluationResult result) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("key", result.flagKey());
        if (result.value() != null) {
            gen.writeFieldName("value");
            writeValue(gen, result.value());
        }
        gen.writeStringField("reason", result.reason().name());
        if (result.variant() != null) {
            gen.writeStringField("variant", result.variant());
        }
        gen.writeFieldName("metadata");
        writeValue(gen, result.metadata());
        gen.writeEndObject();
    }

    private static void writeError(JsonGenerator gen, String key, ErrorCode code, String details) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("key", key);
        gen.writeStringField("errorCode", code.name());
        gen.writeStringField("errorDetails", details);
        gen.writeEndObject();
    }

    /** Writes a flag value or metadata exactly as {@link FlagValues#toJson} would render it. */
    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            gen.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            gen.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            gen.writeNumber(decimal);
        } else if (value instanceof Number n) {
            gen.writeNumber(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                gen.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(gen, entry.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof Iterable<?> iterable) {
            gen.writeStartArray();
            for (Object element : iterable) {
                writeValue(gen, element);
            }
            gen.writeEndArray();
        } else {
            gen.writeString(value.toString());
        }
    }

    /**
     * Changes with every catalog and with the request (its bytes), including the tenant attributes added (in a stable order): the
     * same question against the same flags and the same tenant attributes, same answer, on the primary and on every
     * follower.
     */
    private static String etag(EnvironmentFlags flags, byte[] body, Map<String, Object> added) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((flags.environment() + "\n").getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                digest.update(body);
            }
            digest.update(("\n" + added).getBytes(StandardCharsets.UTF_8));
            return "\"" + flags.snapshot().version() + "-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static final byte[] BULK_START = "{\"flags\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BULK_END = "]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] COMMA = {','};

    /** A growable byte array without ByteArrayOutputStream's locking. */
    private static final class Bytes {
        private byte[] bytes;
        private int size;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        void append(byte[] more) {
            if (size + more.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    private interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    private static Answer json(int status, String etag, Body body) {
        return json(status, JSON, etag, false, body);
    }

    private static Answer json(int status, String contentType, String etag, boolean wwwAuthenticate, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            body.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new Answer(status, contentType, etag, wwwAuthenticate, out.toByteArray());
    }

    /** A request whose context cannot be evaluated. */
    private static final class InvalidContext extends Exception {
        InvalidContext(String message) {
            super(message, null, false, false);
        }
    }
}
