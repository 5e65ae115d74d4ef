package io.reefline.flag.domain.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.targeting.Targeting;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Targeting as people edit it (the talk's toggle editor), compiled to flagd JsonLogic so that it evaluates through
 * exactly the same path as imported flagd files. In order:
 *
 * <ol>
 *   <li>an excluded tenant always gets the flag's default variant (reason DEFAULT);
 *   <li>the first rule whose segments all match gives its variant;
 *   <li>an included tenant gets {@code includedVariant};
 *   <li>everyone else gets the flag's default variant (reason DEFAULT).
 * </ol>
 *
 * The tenant is the context attribute {@code tenant}, falling back to {@code targetingKey}.
 */
public record StructuredTargeting(
        TenantInclusion included, Set<String> excludedTenants, List<SegmentRule> rules, String includedVariant) {

    /** The context attribute naming the tenant. */
    public static final String TENANT_ATTRIBUTE = "tenant";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String INCLUDED = "included";

    public StructuredTargeting {
        Objects.requireNonNull(included, "included");
        Objects.requireNonNull(includedVariant, "includedVariant");
        excludedTenants = Set.copyOf(excludedTenants);
        rules = List.copyOf(rules);
    }

    /** The JsonLogic this targeting stands for. */
    public ObjectNode toJsonLogic() {
        ArrayNode chain = NODES.arrayNode();
        if (!excludedTenants.isEmpty()) {
            chain.add(SegmentCondition.operation("in", tenant(), tenantList(excludedTenants)));
            chain.addNull();
        }
        for (SegmentRule rule : rules) {
            chain.add(rule.condition());
            chain.add(rule.variant());
        }
        chain.add(inclusion());
        chain.add(includedVariant);
        chain.addNull();
        ObjectNode logic = NODES.objectNode();
        logic.set("if", chain);
        return logic;
    }

    /** This targeting compiled for evaluation. */
    public Targeting compile() {
        try {
            return TargetingCompiler.standalone().compile(toJsonLogic());
        } catch (TargetingCompileException e) {
            throw new IllegalStateException("structured targeting produced invalid JsonLogic: " + e.getMessage(), e);
        }
    }

    private JsonNode inclusion() {
        if (included instanceof TenantInclusion.Listed listed) {
            return SegmentCondition.operation("in", tenant(), tenantList(listed.tenants()));
        }
        if (included instanceof TenantInclusion.Percentage percentage) {
            return percentage(percentage.percent());
        }
        return NODES.booleanNode(true);
    }

    /**
     * The tenant is in when its bucket (MurmurHash3 of flag key + tenant, times 100, over 2^32) is below the
     * percentage: raising the percentage only ever adds tenants.
     */
    private JsonNode percentage(int percent) {
        JsonNode bucketBy =
                SegmentCondition.operation("cat", NODES.objectNode().put("var", "$flagd.flagKey"), tenant());
        JsonNode split = SegmentCondition.operation(
                "fractional",
                bucketBy,
                NODES.arrayNode().add(INCLUDED).add(percent),
                NODES.arrayNode().add("excluded").add(100 - percent));
        return SegmentCondition.operation(
                "and", tenant(), SegmentCondition.operation("==", split, NODES.textNode(INCLUDED)));
    }

    private static JsonNode tenant() {
        return SegmentCondition.operation(
                "or",
                NODES.objectNode().put("var", TENANT_ATTRIBUTE),
                NODES.objectNode().put("var", "targetingKey"));
    }

    private static ArrayNode tenantList(Set<String> tenants) {
        ArrayNode list = NODES.arrayNode();
        new TreeSet<>(tenants).forEach(list::add);
        return list;
    }
}
