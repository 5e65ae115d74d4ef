package io.reefline.flag.domain.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

    @ParameterizedTest
    @CsvSource({
        "1.0.0, =, 1.0.0, true",
        "v1.0.0, =, 1.0.0, true",
        "1.0.0+build.7, =, 1.0.0, true",
        "1.0.1, =, 1.0.0, false",
        "1.0.1, !=, 1.0.0, true",
        "1.0.0, !=, 1.0.0, false",
        "1.2.3, <, 1.10.0, true",
        "1.10.0, <, 1.2.3, false",
        "1.0.0-alpha, <, 1.0.0, true",
        "1.0.0-alpha, <, 1.0.0-alpha.1, true",
        "1.0.0-alpha.1, <, 1.0.0-alpha.beta, true",
        "1.0.0-beta.2, <, 1.0.0-beta.11, true",
        "1.0.0-rc.1, <, 1.0.0, true",
        "1.0.0, <=, 1.0.0, true",
        "1.0.1, <=, 1.0.0, false",
        "2.0.0, >, 1.99.99, true",
        "1.0.0, >, 1.0.0, false",
        "1.1.2, >=, 1.0.0, true",
        "0.9.9, >=, 1.0.0, false",
        "1.5.0, ^, 1.0.0, true",
        "2.0.0, ^, 1.0.0, false",
        "1.2.9, ~, 1.2.0, true",
        "1.3.0, ~, 1.2.0, false",
        "v1.2, =, 1.2.0, true",
        "v1, <, 1.0.1, true",
        "V1.0.0, =, 1.0.0, true",
        "1.0.0+build.1, =, 1.0.0+build.2, true",
    })
    void shouldCompareLikeFlagdSemVer(String version, String operator, String target, boolean expected) {
        Object result = evaluate(
                "{\"sem_ver\": [{\"var\": \"version\"}, {\"var\": \"op\"}, {\"var\": \"target\"}]}",
                "{\"version\": \"" + version + "\", \"op\": \"" + operator + "\", \"target\": \"" + target + "\"}");

        assertEquals(expected, result);
    }

    /** flagd answers null for input sem_ver cannot use (flagd issue #1874), so the flag falls back to its default. */
    @ParameterizedTest
    @CsvSource({
        "not-a-version, =, 1.0.0",
        "1.0.0, like, 1.0.0",
        "1.0.0, ===, 1.0.0",
        "01.0.0, =, 1.0.0",
        "1.0.0-01, =, 1.0.0-01",
        "1.0.0, =, 2.0.0.0",
    })
    void shouldAnswerNullForInvalidVersionsOrOperators(String version, String operator, String target) {
        Object result = evaluate(
                "{\"sem_ver\": [{\"var\": \"version\"}, {\"var\": \"op\"}, {\"var\": \"target\"}]}",
                "{\"version\": \"" + version + "\", \"op\": \"" + operator + "\", \"target\": \"" + target + "\"}");

        assertNull(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "v2.3.4-rc.1+sha.5114f85", "V1.0.0", "0.0.0", "1.2", "1", "1.0.0-x-y.7z.92"})
    void shouldAcceptValidVersions(String text) {
        assertTrue(SemanticVersion.parse(text).isPresent());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "v", "1.0.0.0", "1.0.0-", "1.0.0+", "1..0", "a.b.c", "1.2-beta", "vv1.0.0", "1.0.0-a..b"})
    void shouldRejectInvalidVersions(String text) {
        assertTrue(SemanticVersion.parse(text).isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "'{\"sem_ver\": [\"1.1.2\", \">=\", \"1.0.0\"]}', true",
        "'{\"sem_ver\": [5, \">=\", \"1.0.0\"]}', true",
        "'{\"sem_ver\": [0.9, \">=\", \"1.0.0\"]}', false"
    })
    void shouldEvaluateLiteralComparisons(String rule, boolean expected) {
        assertEquals(expected, evaluate(rule, "{}"));
    }

    private static Object evaluate(String rule, String data) {
        try {
            return TargetingCompiler.standalone()
                    .compile(Json.tree(rule))
                    .rule()
                    .evaluate(Scope.of(Json.value(data)));
        } catch (TargetingCompileException e) {
            throw new AssertionError(e);
        }
    }
}
