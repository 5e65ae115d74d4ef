package io.reefline.flag.domain.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.domain.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedEvaluatorTest {

    @Test
    void shouldInlineReferencedEvaluatorsIncludingNestedOnes() throws TargetingCompileException {
        Map<String, JsonNode> evaluators = Map.of(
                "emailWithFaas", Json.tree("{\"in\": [\"@faas.com\", {\"var\": [\"email\"]}]}"),
                "faasStaff",
                        Json.tree(
                                "{\"and\": [{\"$ref\": \"emailWithFaas\"}, {\"==\": [{\"var\": \"team\"}, \"staff\"]}]}"));
        Rule rule = new TargetingCompiler(evaluators)
                .compile(Json.tree("{\"if\": [{\"$ref\": \"faasStaff\"}, \"binet\", null]}"))
                .rule();

        assertEquals("binet", rule.evaluate(Scope.of(Map.of("email", "a@faas.com", "team", "staff"))));
        assertEquals(null, rule.evaluate(Scope.of(Map.of("email", "a@other.com", "team", "staff"))));
    }

    @Test
    void shouldRejectUnknownEvaluator() {
        TargetingCompileException error = assertThrows(
                TargetingCompileException.class,
                () -> TargetingCompiler.standalone()
                        .compile(Json.tree("{\"if\": [{\"$ref\": \"nope\"}, \"a\", null]}")));

        assertEquals(List.of(new TargetingProblem("/if/0/$ref", "unknown shared evaluator 'nope'")), error.problems());
    }

    @Test
    void shouldRejectCyclesOfReferences() {
        TargetingCompiler compiler = new TargetingCompiler(Map.of(
                "a", Json.tree("{\"or\": [{\"$ref\": \"b\"}, false]}"),
                "b", Json.tree("{\"!\": {\"$ref\": \"a\"}}"),
                "self", Json.tree("{\"!\": {\"$ref\": \"self\"}}")));

        assertEquals(
                List.of(
                        new TargetingProblem(
                                "/or/0/$ref",
                                "shared evaluator 'b' is invalid: shared evaluators refer to each other in a cycle: a -> b -> a")),
                compiler.check("a"));
        assertEquals(
                List.of(new TargetingProblem(
                        "/!/$ref", "shared evaluators refer to each other in a cycle: self -> self")),
                compiler.check("self"));
        TargetingCompileException error =
                assertThrows(TargetingCompileException.class, () -> compiler.compile(Json.tree("{\"$ref\": \"b\"}")));
        assertEquals("/$ref", error.problems().get(0).path());
    }
}
