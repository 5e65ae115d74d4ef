package io.reefline.flag.domain.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.Reason;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StructuredTargetingTest {

    private static final Segment STAFF =
            Segment.of("staff", SegmentCondition.of("ring", SegmentOperator.EQUALS, "staff"));
    private static final Segment EU_LARGE = Segment.of(
            "eu-large",
            SegmentCondition.of("region", SegmentOperator.IN, "eu-west", "eu-central"),
            SegmentCondition.of("usage.seats", SegmentOperator.GREATER_OR_EQUAL, 100));

    private static Evaluator evaluatorFor(StructuredTargeting targeting) {
        Map<String, Object> variants = new LinkedHashMap<>();
        variants.put("on", true);
        variants.put("off", false);
        variants.put("beta", true);
        FlagDefinition flag =
                new FlagDefinition("new-checkout", FlagState.ENABLED, variants, "off", targeting.compile(), Map.of());
        return Evaluator.over(FlagSnapshot.of(FlagSet.of(List.of(flag)), 1), Clock.systemUTC());
    }

    private static EvaluationResult evaluate(Evaluator evaluator, Map<String, Object> context) {
        return evaluator.evaluate("new-checkout", EvaluationContext.of(context));
    }

    @Test
    void shouldLetExclusionWinOverRulesAndInclusion() {
        Evaluator evaluator = evaluatorFor(new StructuredTargeting(
                TenantInclusion.all(), Set.of("acme"), List.of(SegmentRule.of("beta", STAFF)), "on"));

        EvaluationResult excluded = evaluate(evaluator, Map.of("tenant", "acme", "ring", "staff"));

        assertEquals(Reason.DEFAULT, excluded.reason());
        assertEquals("off", excluded.variant());
        assertEquals(
                "beta",
                evaluate(evaluator, Map.of("tenant", "globex", "ring", "staff")).variant());
        assertEquals("on", evaluate(evaluator, Map.of("tenant", "globex")).variant());
    }

    @Test
    void shouldIncludeListedTenantsFallingBackToTargetingKey() {
        Evaluator evaluator = evaluatorFor(
                new StructuredTargeting(TenantInclusion.listed(Set.of("acme", "initech")), Set.of(), List.of(), "on"));

        assertEquals("on", evaluate(evaluator, Map.of("tenant", "acme")).variant());
        assertEquals(
                Reason.TARGETING_MATCH,
                evaluate(evaluator, Map.of("targetingKey", "initech")).reason());
        assertEquals(
                "off",
                evaluate(evaluator, Map.of("tenant", "globex", "targetingKey", "acme"))
                        .variant());
        assertEquals(Reason.DEFAULT, evaluate(evaluator, Map.of()).reason());
    }

    @Test
    void shouldApplyTheFirstMatchingRuleInOrder() {
        Evaluator evaluator = evaluatorFor(new StructuredTargeting(
                TenantInclusion.listed(Set.of()),
                Set.of(),
                List.of(SegmentRule.of("beta", STAFF), SegmentRule.of("on", EU_LARGE), SegmentRule.of("off", STAFF)),
                "on"));

        assertEquals(
                "beta",
                evaluate(evaluator, Map.of("ring", "staff", "region", "eu-west"))
                        .variant());
        assertEquals(
                "on",
                evaluate(evaluator, Map.of("region", "eu-central", "usage", Map.of("seats", 250)))
                        .variant());
        assertEquals(
                Reason.DEFAULT,
                evaluate(evaluator, Map.of("region", "eu-central", "usage", Map.of("seats", 20)))
                        .reason());
        assertEquals(
                Reason.DEFAULT,
                evaluate(evaluator, Map.of("region", "eu-central")).reason());
    }

    @Test
    void shouldRampAStickyPercentageOfTenants() {
        int included = 0;
        Map<Integer, Evaluator> ramps = new HashMap<>();
        for (int p : new int[] {10, 25, 50, 100}) {
            ramps.put(
                    p, evaluatorFor(new StructuredTargeting(TenantInclusion.percentage(p), Set.of(), List.of(), "on")));
        }
        for (int i = 0; i < 4_000; i++) {
            Map<String, Object> tenant = Map.of("tenant", "tenant-" + i);
            boolean at10 = "on".equals(evaluate(ramps.get(10), tenant).variant());
            boolean at25 = "on".equals(evaluate(ramps.get(25), tenant).variant());
            boolean at50 = "on".equals(evaluate(ramps.get(50), tenant).variant());
            assertTrue(!at10 || at25, "a tenant in at 10% stays in at 25%");
            assertTrue(!at25 || at50, "a tenant in at 25% stays in at 50%");
            assertEquals("on", evaluate(ramps.get(100), tenant).variant());
            included += at25 ? 1 : 0;
        }

        assertTrue(included > 900 && included < 1_100, "25% of 4000 tenants, got " + included);
    }

    @Test
    void shouldCompileEverySegmentOperator() {
        Segment segment = Segment.of(
                "everything",
                SegmentCondition.of("plan", SegmentOperator.NOT_IN, "free", "trial"),
                SegmentCondition.of("email", SegmentOperator.STARTS_WITH, "ops"),
                SegmentCondition.of("email", SegmentOperator.ENDS_WITH, "@acme.com"),
                SegmentCondition.of("seats", SegmentOperator.LESS_THAN, 500),
                SegmentCondition.of("seats", SegmentOperator.LESS_OR_EQUAL, 499),
                SegmentCondition.of("seats", SegmentOperator.GREATER_THAN, 10),
                SegmentCondition.of("signedUp", SegmentOperator.BEFORE, "2025-01-01"),
                SegmentCondition.of("lastSeen", SegmentOperator.AFTER, "2025-06-01T00:00:00Z"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_GREATER_OR_EQUAL, "2.3.0"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_LESS_THAN, "3.0.0"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_SAME_MAJOR, "2.0.0"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_SAME_MINOR, "2.4.0"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_GREATER_THAN, "2.4.0"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_LESS_OR_EQUAL, "2.4.1"),
                SegmentCondition.of("appVersion", SegmentOperator.SEMVER_EQUAL, "v2.4.1"));
        Evaluator evaluator = evaluatorFor(new StructuredTargeting(
                TenantInclusion.listed(Set.of()), Set.of(), List.of(SegmentRule.of("on", segment)), "on"));
        Map<String, Object> match = new HashMap<>(Map.of(
                "plan", "enterprise",
                "email", "ops@acme.com",
                "seats", 120,
                "signedUp", "2024-05-01T08:00:00Z",
                "lastSeen", 1_760_000_000L,
                "appVersion", "2.4.1"));

        assertEquals("on", evaluate(evaluator, match).variant());
        for (Map.Entry<String, Object> miss : List.<Map.Entry<String, Object>>of(
                Map.entry("plan", (Object) "trial"),
                Map.entry("email", "dev@acme.com"),
                Map.entry("seats", 5),
                Map.entry("signedUp", 1_740_000_000L),
                Map.entry("lastSeen", "2025-05-31T23:59:59Z"),
                Map.entry("appVersion", "2.5.0"))) {
            Map<String, Object> context = new HashMap<>(match);
            context.put(miss.getKey(), miss.getValue());
            assertEquals(Reason.DEFAULT, evaluate(evaluator, context).reason(), "with " + miss);
        }
        Map<String, Object> withoutDate = new HashMap<>(match);
        withoutDate.remove("signedUp");
        assertEquals(Reason.DEFAULT, evaluate(evaluator, withoutDate).reason(), "a missing date is not before");
    }

    @Test
    void shouldExportAsFlagdJsonLogicThatImportsBack() throws InvalidFlagdDocumentException {
        StructuredTargeting targeting = new StructuredTargeting(
                TenantInclusion.percentage(30), Set.of("acme"), List.of(SegmentRule.of("beta", STAFF, EU_LARGE)), "on");
        FlagDefinition flag = new FlagDefinition(
                "new-checkout",
                FlagState.ENABLED,
                Map.of("on", true, "off", false, "beta", true),
                "off",
                targeting.compile(),
                Map.of());
        FlagSet set = FlagSet.of(List.of(flag));

        assertEquals(set, FlagdDocument.parse(FlagdDocument.write(set)));
        assertEquals("acme", targeting.toJsonLogic().at("/if/0/in/1/0").textValue());
        assertEquals(
                "fractional",
                targeting.toJsonLogic().at("/if/4/and/1/==/0").fieldNames().next());
    }

    @Test
    void shouldRejectInvalidConditions() {
        assertThrows(
                IllegalArgumentException.class, () -> SegmentCondition.of("seats", SegmentOperator.LESS_THAN, "ten"));
        assertThrows(
                IllegalArgumentException.class, () -> SegmentCondition.of("v", SegmentOperator.SEMVER_EQUAL, "1.x"));
        assertThrows(
                IllegalArgumentException.class, () -> SegmentCondition.of("d", SegmentOperator.BEFORE, "yesterday"));
        assertThrows(IllegalArgumentException.class, () -> SegmentCondition.of("plan", SegmentOperator.IN));
        assertThrows(IllegalArgumentException.class, () -> TenantInclusion.percentage(101));
    }
}
