package io.reefline.flag.ofrep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an OFREP request body may be, and the clear 400 for everything else; nothing is coerced. */
class OfrepRequestTest {

    private static final String KEY = "sdk-key-production";
    private final Ofrep ofrep;

    OfrepRequestTest() throws Exception {
        ofrep = new Ofrep(ReplicatedSnapshotTest.source(
                ReplicatedSnapshotTest.catalog(3), TenantAttributes.of(Map.of("acme", Map.of("version", "2.0.0")))));
    }

    @Test
    void anAbsentOrNullContextIsAnEmptyOne() {
        for (String body : new String[] {"{}", "{\"context\":null}", "{\"context\":{}}", " \n{ } "}) {
            assertEquals(200, single(body).status(), body);
        }
    }

    @Test
    void otherTopLevelFieldsAreIgnoredAndValuesKeepTheirJsonTypes() {
        // sem_ver reads the version; a number would be read as a version too, a nested object reaches targeting.
        String body = "{\"extra\":[1,{\"a\":2}],\"context\":{\"targetingKey\":\"u\",\"version\":\"1.2.0\","
                + "\"big\":123456789012345678901234567890,\"ratio\":0.5,\"tags\":[\"a\",null,true],"
                + "\"user\":{\"name\":\"ada\"}},\"more\":null}";
        Ofrep.Answer answer = ofrep.evaluate("semverColor", KEY, null, bytes(body));
        assertEquals(200, answer.status());
        assertTrue(text(answer).contains("\"variant\":\"red\""), text(answer));
    }

    @Test
    void everythingElseIsA400WithItsReason() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"context\":[1]}", "context must be a JSON object, not array"),
                Map.entry("{\"context\":\"acme\"}", "context must be a JSON object, not string"),
                Map.entry("{\"context\":7}", "context must be a JSON object, not number"),
                Map.entry("{\"context\":{\"targetingKey\":7}}", "context.targetingKey must be a string"),
                Map.entry("{\"context\":{}} {}", "the request body is not valid JSON"),
                Map.entry("{\"context\":{\"a\":1,\"a\":2}}", "the request body is not valid JSON"),
                Map.entry("{\"context\":{}", "the request body is not valid JSON"),
                Map.entry("[{\"context\":{}}]", "the request body must be a JSON object with a context object"),
                Map.entry("\"context\"", "the request body must be a JSON object with a context object"),
                Map.entry("null", "the request body must be a JSON object with a context object"),
                Map.entry("", "the request body is required"),
                Map.entry(" \n ", "the request body is required"),
                Map.entry("{\"context\":{\"ratio\":1e309}}", "context numbers must be finite"),
                Map.entry("{\"context\":{\"tags\":[-1e400]}}", "context numbers must be finite"));
        refused.forEach((body, reason) -> {
            Ofrep.Answer single = single(body);
            assertEquals(400, single.status(), body);
            assertTrue(text(single).contains("\"errorCode\":\"INVALID_CONTEXT\""), text(single));
            assertTrue(text(single).contains(reason), body + " -> " + text(single));
            Ofrep.Answer bulk = ofrep.evaluateAll(KEY, null, null, bytes(body));
            assertEquals(400, bulk.status(), body);
            assertTrue(text(bulk).contains(reason), body + " -> " + text(bulk));
        });
    }

    @Test
    void theBulkEtagFollowsTheRequestAndTheTenantAttributesAdded() {
        String acme = text(ofrep.evaluateAll(KEY, null, null, bytes("{\"context\":{\"tenant\":\"acme\"}}")));
        String other = text(ofrep.evaluateAll(KEY, null, null, bytes("{\"context\":{\"tenant\":\"other\"}}")));
        assertTrue(acme.contains("\"flags\""));
        Ofrep.Answer first = ofrep.evaluateAll(KEY, null, null, bytes("{\"context\":{\"tenant\":\"acme\"}}"));
        Ofrep.Answer second = ofrep.evaluateAll(KEY, null, null, bytes("{\"context\":{\"tenant\":\"other\"}}"));
        assertTrue(!first.etag().equals(second.etag()), acme + other);
        assertEquals(
                first.etag(),
                ofrep.evaluateAll(KEY, null, null, bytes("{\"context\":{\"tenant\":\"acme\"}}"))
                        .etag());
    }

    private Ofrep.Answer single(String body) {
        return ofrep.evaluate("headerColor", KEY, null, bytes(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Ofrep.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
