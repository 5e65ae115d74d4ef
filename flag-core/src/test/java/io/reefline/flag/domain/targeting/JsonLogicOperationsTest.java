package io.reefline.flag.domain.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reefline.flag.domain.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported JsonLogic operation, with the results json-logic-js (and so flagd) gives. */
class JsonLogicOperationsTest {

    private static final String DATA = """
            {"email": "ada@faas.com", "age": 36, "score": 2.5, "tags": ["beta", "staff"], "empty": "",
             "user": {"plan": {"name": "pro"}}, "items": [1, 2, 3, 4], "nothing": null, "zero": 0}
            """;

    static Stream<Arguments> operations() {
        return Stream.of(
                // var: dotted paths, array indexes, defaults, whole data
                op("{\"var\": \"email\"}", "\"ada@faas.com\""),
                op("{\"var\": [\"user.plan.name\"]}", "\"pro\""),
                op("{\"var\": \"tags.1\"}", "\"staff\""),
                op("{\"var\": [\"missing.path\", \"fallback\"]}", "\"fallback\""),
                op("{\"var\": [\"nothing\", 7]}", "7"),
                op("{\"var\": \"zero\"}", "0"),
                op("{\"var\": {\"cat\": [\"us\", \"er.plan.name\"]}}", "\"pro\""),
                op("{\"var\": \"\"}", DATA),
                // missing, missing_some
                op("{\"missing\": [\"email\", \"phone\", \"empty\"]}", "[\"phone\", \"empty\"]"),
                op("{\"missing\": {\"merge\": [\"age\", [\"fax\"]]}}", "[\"fax\"]"),
                op("{\"missing_some\": [1, [\"email\", \"phone\"]]}", "[]"),
                op("{\"missing_some\": [2, [\"email\", \"phone\"]]}", "[\"phone\"]"),
                // if, ?:
                op("{\"if\": [true, \"yes\", \"no\"]}", "\"yes\""),
                op("{\"if\": [false, \"yes\", \"no\"]}", "\"no\""),
                op("{\"if\": [false, \"yes\", false, \"no\", \"maybe\"]}", "\"maybe\""),
                op("{\"if\": [false, \"yes\", false, \"no\", false, \"maybe\", \"who knows\"]}", "\"who knows\""),
                op("{\"if\": [false, \"yes\"]}", "null"),
                op("{\"?:\": [{\"var\": \"empty\"}, \"set\", \"unset\"]}", "\"unset\""),
                // equality
                op("{\"==\": [1, 1]}", "true"),
                op("{\"==\": [1, \"1\"]}", "true"),
                op("{\"==\": [0, false]}", "true"),
                op("{\"==\": [null, null]}", "true"),
                op("{\"==\": [null, 0]}", "false"),
                op("{\"===\": [1, 1.0]}", "true"),
                op("{\"===\": [1, \"1\"]}", "false"),
                op("{\"!=\": [1, 2]}", "true"),
                op("{\"!=\": [1, \"1\"]}", "false"),
                op("{\"!==\": [1, \"1\"]}", "true"),
                op("{\"!==\": [\"a\", \"a\"]}", "false"),
                // negation and truthiness
                op("{\"!\": [\"mike\"]}", "false"),
                op("{\"!\": [\"\"]}", "true"),
                op("{\"!\": true}", "false"),
                op("{\"!!\": [\"mike\"]}", "true"),
                op("{\"!!\": [[]]}", "false"),
                op("{\"!!\": [\"0\"]}", "true"),
                op("{\"!!\": [0]}", "false"),
                // or, and return values, not just booleans
                op("{\"or\": [false, 0, \"a\", \"b\"]}", "\"a\""),
                op("{\"or\": [false, 0]}", "0"),
                op("{\"and\": [true, \"a\", 3]}", "3"),
                op("{\"and\": [true, \"\", 3]}", "\"\""),
                // relational, with between forms
                op("{\">\": [2, 1]}", "true"),
                op("{\">\": [1, 2]}", "false"),
                op("{\">=\": [1, 1]}", "true"),
                op("{\"<\": [1, 2]}", "true"),
                op("{\"<\": [2, 1]}", "false"),
                op("{\"<=\": [1, 1]}", "true"),
                op("{\"<=\": [2, 1]}", "false"),
                op("{\"<\": [1, 5, 10]}", "true"),
                op("{\"<\": [1, 11, 10]}", "false"),
                op("{\"<\": [1, 1, 10]}", "false"),
                op("{\"<=\": [1, 1, 10]}", "true"),
                op("{\"<=\": [1, 11, 10]}", "false"),
                op("{\">\": [{\"var\": \"age\"}, \"30\"]}", "true"),
                op("{\"<\": [\"apple\", \"banana\"]}", "true"),
                op("{\"<\": [\"abc\", 5]}", "false"),
                op("{\">=\": [{\"var\": \"score\"}, 2.5]}", "true"),
                // in: substring and membership
                op("{\"in\": [\"Spring\", \"Springfield\"]}", "true"),
                op("{\"in\": [\"Illinois\", \"Springfield\"]}", "false"),
                op("{\"in\": [\"Mike\", [\"Bob\", \"Mike\"]]}", "true"),
                op("{\"in\": [\"Todd\", [\"Bob\", \"Mike\"]]}", "false"),
                op("{\"in\": [2, [1, 2, 3]]}", "true"),
                op("{\"in\": [\"@faas.com\", {\"var\": [\"email\"]}]}", "true"),
                op("{\"in\": [{\"var\": \"email\"}, {\"var\": \"tags\"}]}", "false"),
                op("{\"!\": {\"in\": [\"Todd\", [\"Bob\", \"Mike\"]]}}", "true"),
                // strings
                op("{\"cat\": [\"I love\", \" pie\"]}", "\"I love pie\""),
                op("{\"cat\": [\"v\", 1, \".\", 2.5, null, true]}", "\"v1.2.5true\""),
                op("{\"substr\": [\"jsonlogic\", 4]}", "\"logic\""),
                op("{\"substr\": [\"jsonlogic\", -5]}", "\"logic\""),
                op("{\"substr\": [\"jsonlogic\", 1, 3]}", "\"son\""),
                op("{\"substr\": [\"jsonlogic\", 4, -2]}", "\"log\""),
                // arithmetic
                op("{\"+\": [4, 2]}", "6"),
                op("{\"+\": [2, 2, 2, 2, 2]}", "10"),
                op("{\"+\": \"3.14\"}", "3.14"),
                op("{\"+\": [1, 0.5]}", "1.5"),
                op("{\"-\": [4, 2]}", "2"),
                op("{\"-\": 2}", "-2"),
                op("{\"*\": [4, 2]}", "8"),
                op("{\"*\": [2, 2, 2, 2, 2]}", "32"),
                op("{\"/\": [4, 2]}", "2"),
                op("{\"/\": [1, 4]}", "0.25"),
                op("{\"%\": [101, 2]}", "1"),
                op("{\"%\": [-7, 3]}", "-1"),
                op("{\"min\": [1, 2, 3]}", "1"),
                op("{\"max\": [1, 2, 3]}", "3"),
                op("{\"max\": []}", "null"),
                op("{\"max\": [1, \"x\"]}", "null"),
                // arrays
                op("{\"merge\": [[1, 2], [3, 4]]}", "[1, 2, 3, 4]"),
                op("{\"merge\": [1, 2, [3, 4]]}", "[1, 2, 3, 4]"),
                op("{\"map\": [{\"var\": \"items\"}, {\"*\": [{\"var\": \"\"}, 2]}]}", "[2, 4, 6, 8]"),
                op("{\"filter\": [{\"var\": \"items\"}, {\"%\": [{\"var\": \"\"}, 2]}]}", "[1, 3]"),
                op(
                        "{\"reduce\": [{\"var\": \"items\"}, {\"+\": [{\"var\": \"current\"}, {\"var\": \"accumulator\"}]}, 0]}",
                        "10"),
                op("{\"all\": [[1, 2, 3], {\">\": [{\"var\": \"\"}, 0]}]}", "true"),
                op("{\"all\": [[-1, 2, 3], {\">\": [{\"var\": \"\"}, 0]}]}", "false"),
                op("{\"all\": [[], {\">\": [{\"var\": \"\"}, 0]}]}", "false"),
                op("{\"none\": [[-3, -2], {\">\": [{\"var\": \"\"}, 0]}]}", "true"),
                op("{\"none\": [[-3, 2], {\">\": [{\"var\": \"\"}, 0]}]}", "false"),
                op("{\"some\": [[-1, 0, 1], {\">\": [{\"var\": \"\"}, 0]}]}", "true"),
                op("{\"some\": [[], {\">\": [{\"var\": \"\"}, 0]}]}", "false"),
                op("{\"some\": [{\"var\": \"tags\"}, {\"==\": [{\"var\": \"\"}, \"staff\"]}]}", "true"),
                // flagd's string operations
                op("{\"starts_with\": [\"192.168.0.1\", \"192.168\"]}", "true"),
                op("{\"starts_with\": [\"10.0.0.1\", \"192.168\"]}", "false"),
                op("{\"ends_with\": [\"noreply@example.com\", \"@example.com\"]}", "true"),
                op("{\"ends_with\": [\"noreply@example.com\", \"@test.com\"]}", "false"),
                op("{\"ends_with\": [{\"var\": \"age\"}, \"6\"]}", "null"),
                // literals
                op("{\"if\": [true, [1, {\"var\": \"age\"}], null]}", "[1, 36]"),
                op("{\"if\": [true, {\"a\": 1, \"b\": 2}, null]}", "{\"a\": 1, \"b\": 2}"));
    }

    private static Arguments op(String rule, String expected) {
        return Arguments.of(rule, expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("operations")
    void shouldEvaluateLikeJsonLogic(String rule, String expected) throws TargetingCompileException {
        Object result =
                TargetingCompiler.standalone().compile(Json.tree(rule)).rule().evaluate(Scope.of(Json.value(DATA)));

        assertEquals(Json.value(expected), result);
    }

    @Test
    void shouldRejectUnknownOperationsWithTheirPath() {
        TargetingCompileException error = assertThrows(
                TargetingCompileException.class,
                () -> TargetingCompiler.standalone()
                        .compile(Json.tree("{\"if\": [{\"regex\": [\"a\", \"b\"]}, \"on\", {\"==\": [1]}]}")));

        assertEquals(
                java.util.List.of(
                        new TargetingProblem("/if/0/regex", "unknown operation 'regex'"),
                        new TargetingProblem("/if/2/==", "'==' takes 2 argument(s), got 1")),
                error.problems());
    }

    @Test
    void shouldTreatInvalidLiteralVersionsAndWeightsAsFlagdDoes() throws TargetingCompileException {
        Rule rule = TargetingCompiler.standalone().compile(Json.tree("""
                        {"if": [{"sem_ver": [{"var": "v"}, "=", "2.0.0.0"]}, "never",
                                {"sem_ver": [{"var": "v"}, "=>", "2.0.0"]}, "never",
                                {"fractional": [["a", 50.5], ["b", 49.5]]}]}
                        """)).rule();

        assertEquals(null, rule.evaluate(Scope.of(Json.value("{\"v\": \"2.0.0\", \"targetingKey\": \"k\"}"))));
    }
}
