package io.reefline.flag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.RawHttp;
import io.reefline.testing.TestTokens;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the HTTP layer refuses before a resource runs is answered as problem+json, like every other error. */
@QuarkusTest
class RequestEdgesTest {

    private static final String JSON = "application/json";

    @BeforeEach
    void emptyTables() {
        TestData.clear();
        TestData.environment("production", "Production");
    }

    private static RawHttp.Answer get(String target) {
        return RawHttp.send(RestAssured.port, "GET", target, auth(), null);
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", TestTokens.bearer(TestTokens.admin()));
    }

    private static void assertProblem(int status, RawHttp.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(
                answer.isProblem(),
                () -> "not problem+json: " + answer.status() + " " + answer.headers() + " " + answer.body());
    }

    @Test
    void shouldRefuseNulBytesInPathsAndQueries() {
        assertProblem(400, get("/api/flags/x%00"));
        assertProblem(400, get("/api/flags?environment=a%00b"));
    }

    @Test
    void shouldRefuseMalformedPercentEncoding() {
        assertProblem(400, get("/api/flags/%zz"));
        assertProblem(400, get("/api/flags/abc%4"));
        assertProblem(400, get("/api/flags?page=%zz"));
        assertProblem(
                400,
                RawHttp.send(
                        RestAssured.port,
                        "POST",
                        "/ui/flags",
                        Map.of(
                                "Cookie",
                                "reefline_token=" + TestTokens.operator(),
                                "Content-Type",
                                "application/x-www-form-urlencoded",
                                "Origin",
                                "http://localhost:" + RestAssured.port),
                        "key=a&name=%zz&etag=%zz".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldAnswerOverlongRequestLinesWith414() {
        RawHttp.Answer answer = get("/api/flags/" + "a".repeat(5000));
        assertProblem(414, answer);
        assertFalse(answer.body().contains("aaaaaaaaaa"), "the path is not echoed");
    }

    @Test
    void shouldAnswerOversizedBodiesWith413() {
        Map<String, String> declared = Map.of(
                "Authorization",
                TestTokens.bearer(TestTokens.operator()),
                "Content-Type",
                JSON,
                "Content-Length",
                String.valueOf(2 * 1024 * 1024));
        assertProblem(413, RawHttp.send(RestAssured.port, "POST", "/api/flags", declared, new byte[0]));
    }

    @Test
    void shouldNameNotEchoAnOversizedField() {
        String huge = "n".repeat(900_000);
        RawHttp.Answer answer = RawHttp.send(
                RestAssured.port,
                "POST",
                "/api/flags",
                Map.of("Authorization", TestTokens.bearer(TestTokens.operator()), "Content-Type", JSON),
                ("{\"key\":\"" + huge + "\",\"name\":\"x\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                                + "\"defaultVariant\":\"on\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertProblem(400, answer);
        assertTrue(
                answer.body().length() < 4000,
                () -> "answer of " + answer.body().length() + " characters");
        assertTrue(answer.body().contains("key"), answer.body());
    }
}
