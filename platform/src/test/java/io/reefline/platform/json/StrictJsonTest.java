package io.reefline.platform.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {

    enum Severity {
        LOW,
        HIGH
    }

    record Report(
            String reason,
            Boolean urgent,
            boolean quiet,
            Integer count,
            int retries,
            long total,
            Double ratio,
            double weight,
            Instant at,
            Duration soak,
            OffsetDateTime since,
            Severity severity,
            List<String> tags) {}

    private final ObjectMapper strict = StrictJson.configure(new ObjectMapper().registerModule(new JavaTimeModule()));

    @Test
    void shouldReadWellTypedValues() throws Exception {
        Report report = strict.readValue("""
                {"reason":"disk full","urgent":true,"quiet":false,"count":3,"retries":2,"total":9000000000,
                 "ratio":0.5,"weight":2,"at":"2026-11-02T10:00:00Z","soak":"PT2H",
                 "since":"2026-11-02T10:00:00+01:00","severity":"HIGH","tags":["a","b"]}""", Report.class);
        assertEquals("disk full", report.reason());
        assertEquals(9_000_000_000L, report.total());
        assertEquals(2.0, report.weight());
        assertEquals(Duration.ofHours(2), report.soak());
        assertEquals(Severity.HIGH, report.severity());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "number for a string            | {\"reason\":42}                  | reason   | must be a string",
                "boolean for a string           | {\"reason\":true}                | reason   | must be a string",
                "number in a string list        | {\"tags\":[\"a\",7]}             | tags[1]  | must be a string",
                "string for a boolean           | {\"urgent\":\"true\"}            | urgent   | must be true or false",
                "number for a boolean           | {\"quiet\":1}                    | quiet    | must be true or false",
                "string for an integer          | {\"count\":\"3\"}                | count    | must be a whole number",
                "boolean for an integer         | {\"retries\":true}               | retries  | must be a whole number",
                "fraction for an integer        | {\"retries\":1.5}                | retries  | must be a whole number",
                "fraction for a long            | {\"total\":2.0}                  | total    | must be a whole number",
                "string for a number            | {\"ratio\":\"0.5\"}              | ratio    | must be a number",
                "infinite number                | {\"weight\":1e309}               | weight   | must be a finite number",
                "infinite boxed number          | {\"ratio\":-1e309}               | ratio    | must be a finite number",
                "epoch number for an instant    | {\"at\":1767225600}              | at       | must be an ISO-8601 string",
                "epoch fraction for an instant  | {\"at\":1767225600.5}            | at       | must be an ISO-8601 string",
                "seconds for a duration         | {\"soak\":7200}                  | soak     | must be an ISO-8601 string",
                "epoch number for an offset time| {\"since\":1767225600}           | since    | must be an ISO-8601 string",
                "index for an enum              | {\"severity\":1}                 | severity | must be a string",
                "NUL character in a string      | {\"reason\":\"a\\u0000b\"}       | reason   | must not contain NUL characters",
            })
    void shouldRefuseCoercion(String kind, String body, String field, String rule) {
        StrictJson.Refusal refusal = assertThrows(StrictJson.Refusal.class, () -> strict.readValue(body, Report.class));
        assertEquals(rule, refusal.rule(), kind);
        assertEquals(field, path(refusal), kind);
    }

    @Test
    void shouldRefuseTrailingTokens() {
        assertThrows(JsonProcessingException.class, () -> strict.readValue("{\"reason\":\"x\"} }}x", Report.class));
        assertThrows(JsonProcessingException.class, () -> strict.readTree("{\"reason\":\"x\"} {}"));
    }

    @Test
    void shouldRefuseNulCharactersInFreeFormJson() {
        assertThrows(StrictJson.NulCharacterException.class, () -> strict.readTree("{\"a\":[\"x\\u0000\"]}"));
        JsonNode fine = assertDoesNotThrowTree("{\"a\":[\"x\"]}");
        assertEquals("x", fine.get("a").get(0).asText());
    }

    private JsonNode assertDoesNotThrowTree(String json) {
        try {
            return strict.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
