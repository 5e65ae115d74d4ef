package io.reefline.flag.domain.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.Json;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FractionalTest {

    private static Rule compile(String json) throws TargetingCompileException {
        return TargetingCompiler.standalone().compile(Json.tree(json)).rule();
    }

    private static Scope context(String flagKey, String targetingKey) {
        Map<String, Object> data = new HashMap<>();
        data.put("$flagd", Map.of("flagKey", flagKey));
        if (targetingKey != null) {
            data.put("targetingKey", targetingKey);
        }
        return Scope.of(data);
    }

    @Test
    void shouldSplitTenThousandKeysEvenly() throws TargetingCompileException {
        Rule split = compile("{\"fractional\": [[\"on\", 50], [\"off\", 50]]}");
        int on = 0;
        for (int i = 0; i < 10_000; i++) {
            if ("on".equals(split.evaluate(context("new-checkout", "user-" + i)))) {
                on++;
            }
        }

        assertTrue(on > 4_800 && on < 5_200, "on for " + on + " of 10000");
    }

    @Test
    void shouldFollowUnevenWeights() throws TargetingCompileException {
        Rule split =
                compile("{\"fractional\": [{\"var\": \"email\"}, [\"red\", 50], [\"blue\", 20], [\"green\", 30]]}");
        Map<Object, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(split.evaluate(Scope.of(Map.of("email", "user" + i + "@example.com"))), 1, Integer::sum);
        }

        assertTrue(Math.abs(counts.get("red") - 5_000) < 250, counts.toString());
        assertTrue(Math.abs(counts.get("blue") - 2_000) < 200, counts.toString());
        assertTrue(Math.abs(counts.get("green") - 3_000) < 250, counts.toString());
    }

    @Test
    void shouldBeStickyForTheSameKeyAndDifferForAnotherFlag() throws TargetingCompileException {
        Rule split = compile("{\"fractional\": [[\"a\", 1], [\"b\", 1], [\"c\", 1], [\"d\", 1]]}");
        int differentAcrossFlags = 0;
        for (int i = 0; i < 1_000; i++) {
            Object first = split.evaluate(context("flag-one", "user-" + i));
            assertEquals(first, split.evaluate(context("flag-one", "user-" + i)));
            if (!first.equals(split.evaluate(context("flag-two", "user-" + i)))) {
                differentAcrossFlags++;
            }
        }

        assertTrue(differentAcrossFlags > 600, "the flag key is part of the default bucketing value");
    }

    @Test
    void shouldBucketWithHashTimesTotalWeightShiftedRight() throws TargetingCompileException {
        // "abc" hashes to 3017643002: (3017643002 * 100) >>> 32 = 70, so weights 70/30 put it in the second bucket.
        assertEquals(
                "high",
                compile("{\"fractional\": [\"abc\", [\"low\", 70], [\"high\", 30]]}")
                        .evaluate(Scope.of(Map.of())));
        assertEquals(
                "low",
                compile("{\"fractional\": [\"abc\", [\"low\", 71], [\"high\", 29]]}")
                        .evaluate(Scope.of(Map.of())));
    }

    @Test
    void shouldDefaultOmittedWeightsToOne() throws TargetingCompileException {
        Rule split = compile("{\"fractional\": [[\"heads\"], [\"tails\", 1]]}");
        int heads = 0;
        for (int i = 0; i < 2_000; i++) {
            if ("heads".equals(split.evaluate(context("coin", "k" + i)))) {
                heads++;
            }
        }

        assertTrue(heads > 900 && heads < 1_100, "heads " + heads);
    }

    @Test
    void shouldAnswerNullWithoutBucketingValueOrTargetingKey() throws TargetingCompileException {
        assertNull(compile("{\"fractional\": [[\"a\", 50], [\"b\", 50]]}").evaluate(context("f", null)));
        assertNull(compile("{\"fractional\": [{\"var\": \"email\"}, [\"a\", 50], [\"b\", 50]]}")
                .evaluate(context("f", null)));
    }

    @Test
    void shouldFallBackToTargetingKeyWhenTheBucketingValueIsMissing() throws TargetingCompileException {
        Rule byEmail = compile("{\"fractional\": [{\"var\": \"email\"}, [\"a\", 50], [\"b\", 50]]}");
        Rule byDefault = compile("{\"fractional\": [[\"a\", 50], [\"b\", 50]]}");

        for (int i = 0; i < 100; i++) {
            assertEquals(byDefault.evaluate(context("f", "u" + i)), byEmail.evaluate(context("f", "u" + i)));
        }
    }

    @Test
    void shouldEvaluateDynamicVariantsAndWeights() throws TargetingCompileException {
        Rule split = compile("""
                {"fractional": [{"var": "targetingKey"},
                  ["red", {"if": [{"==": [{"var": "tier"}, "premium"]}, 100, 0]}],
                  ["blue", 10]]}
                """);

        assertEquals("blue", split.evaluate(Scope.of(Map.of("targetingKey", "someone", "tier", "basic"))));
    }

    @Test
    void shouldServeBooleansAsConditions() throws TargetingCompileException {
        Rule always = compile("{\"if\": [{\"fractional\": [[false, 0], [true, 100]]}, \"big\", \"small\"]}");

        assertEquals("big", always.evaluate(context("f", "anyone")));
    }

    /**
     * A percentage rollout keeps everyone it already has as it grows: with bucket = (hash * 100) >>> 32, a key in
     * at p (bucket < p) is in at every p' > p.
     */
    @Test
    void shouldOnlyAddKeysAsThePercentageGrows() throws TargetingCompileException {
        Rule[] atPercent = new Rule[101];
        for (int p = 0; p <= 100; p++) {
            atPercent[p] = compile("{\"fractional\": [[\"in\", " + p + "], [\"out\", " + (100 - p) + "]]}");
        }
        for (int i = 0; i < 2_000; i++) {
            Scope key = context("ramp", "tenant-" + i);
            boolean wasIn = false;
            for (int p = 0; p <= 100; p++) {
                boolean in = "in".equals(atPercent[p].evaluate(key));
                assertTrue(in || !wasIn, "tenant-" + i + " lost the feature at " + p + "%");
                wasIn = in;
            }
            assertTrue(wasIn);
        }
    }
}
