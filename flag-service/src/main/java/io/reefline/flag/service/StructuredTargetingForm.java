package io.reefline.flag.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reefline.flag.domain.structured.Segment;
import io.reefline.flag.domain.structured.SegmentCondition;
import io.reefline.flag.domain.structured.SegmentOperator;
import io.reefline.flag.domain.structured.SegmentRule;
import io.reefline.flag.domain.structured.StructuredTargeting;
import io.reefline.flag.domain.structured.TenantInclusion;
import io.reefline.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Structured targeting as the editor and the API write it, and as it is stored: who is included (all tenants, a list
 * or a sticky percentage) and gets {@code includedVariant}, who is excluded (always wins), and ordered segment rules.
 * {@link #toDomain} checks it and names the offending field under {@code prefix}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StructuredTargetingForm(
        Inclusion included, String includedVariant, List<String> excludedTenants, List<Rule> rules) {

    /** all, list (with {@code tenants}) or percentage (with {@code percent}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inclusion(String mode, List<String> tenants, Integer percent) {

        public static final String ALL = "all";
        public static final String LIST = "list";
        public static final String PERCENTAGE = "percentage";
    }

    public record Rule(List<SegmentForm> segments, String variant) {}

    public record SegmentForm(String name, List<Condition> conditions) {}

    /** {@code operator} is a {@link SegmentOperator} name, e.g. EQUALS, IN, STARTS_WITH, SEMVER_GREATER_OR_EQUAL. */
    public record Condition(String attribute, String operator, List<Object> values) {}

    /** The same targeting with one more excluded tenant. */
    public StructuredTargetingForm excluding(String tenant) {
        Set<String> excluded = new LinkedHashSet<>(excludedTenants == null ? List.of() : excludedTenants);
        excluded.add(tenant);
        return new StructuredTargetingForm(included, includedVariant, List.copyOf(excluded), rules);
    }

    /** The variants this targeting can hand out, with the field naming each. */
    public List<String[]> variantReferences(String prefix) {
        List<String[]> references = new ArrayList<>();
        references.add(new String[] {prefix + ".includedVariant", includedVariant});
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                references.add(new String[] {
                    prefix + ".rules[" + i + "].variant", rules.get(i).variant()
                });
            }
        }
        return references;
    }

    /** The domain's structured targeting; a 400 naming the field when something is missing or wrong. */
    public StructuredTargeting toDomain(String prefix) {
        if (includedVariant == null || includedVariant.isBlank()) {
            throw ProblemException.badRequest(
                    prefix + ".includedVariant", "must name the variant included tenants get");
        }
        List<SegmentRule> domainRules = new ArrayList<>();
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                domainRules.add(rule(rules.get(i), prefix + ".rules[" + i + "]"));
            }
        }
        return new StructuredTargeting(
                inclusion(prefix + ".included"),
                Set.copyOf(tenants(excludedTenants, prefix + ".excludedTenants")),
                domainRules,
                includedVariant);
    }

    private TenantInclusion inclusion(String field) {
        if (included == null || included.mode() == null) {
            throw ProblemException.badRequest(field + ".mode", "must be all, list or percentage");
        }
        return switch (included.mode().toLowerCase(Locale.ROOT)) {
            case Inclusion.ALL -> TenantInclusion.all();
            case Inclusion.LIST -> TenantInclusion.listed(Set.copyOf(tenants(included.tenants(), field + ".tenants")));
            case Inclusion.PERCENTAGE -> {
                Integer percent = included.percent();
                if (percent == null || percent < 0 || percent > 100) {
                    throw ProblemException.badRequest(field + ".percent", "must be a whole number from 0 to 100");
                }
                yield TenantInclusion.percentage(percent);
            }
            default -> throw ProblemException.badRequest(field + ".mode", "must be all, list or percentage");
        };
    }

    private static List<String> tenants(List<String> tenants, String field) {
        if (tenants == null) {
            return List.of();
        }
        List<String> cleaned = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            String tenant = tenants.get(i);
            if (tenant == null || tenant.isBlank()) {
                throw ProblemException.badRequest(field + "[" + i + "]", "a tenant id must not be blank");
            }
            cleaned.add(tenant.strip());
        }
        return cleaned;
    }

    private static SegmentRule rule(Rule rule, String field) {
        if (rule == null) {
            throw ProblemException.badRequest(field, "must not be null");
        }
        if (rule.variant() == null || rule.variant().isBlank()) {
            throw ProblemException.badRequest(field + ".variant", "must name a variant");
        }
        if (rule.segments() == null || rule.segments().isEmpty()) {
            throw ProblemException.badRequest(field + ".segments", "a rule needs at least one segment");
        }
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < rule.segments().size(); s++) {
            segments.add(segment(rule.segments().get(s), field + ".segments[" + s + "]"));
        }
        return new SegmentRule(segments, rule.variant());
    }

    private static Segment segment(SegmentForm segment, String field) {
        if (segment == null
                || segment.conditions() == null
                || segment.conditions().isEmpty()) {
            throw ProblemException.badRequest(field + ".conditions", "a segment needs at least one condition");
        }
        List<SegmentCondition> conditions = new ArrayList<>();
        for (int c = 0; c < segment.conditions().size(); c++) {
            conditions.add(condition(segment.conditions().get(c), field + ".conditions[" + c + "]"));
        }
        return new Segment(segment.name() == null ? "segment" : segment.name(), conditions);
    }

    private static SegmentCondition condition(Condition condition, String field) {
        if (condition == null
                || condition.attribute() == null
                || condition.attribute().isBlank()) {
            throw ProblemException.badRequest(field + ".attribute", "must name a context attribute");
        }
        SegmentOperator operator;
        try {
            operator = SegmentOperator.valueOf(
                    condition.operator() == null ? "" : condition.operator().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    field + ".operator", "must be one of " + List.of(SegmentOperator.values()));
        }
        try {
            return new SegmentCondition(
                    condition.attribute(), operator, condition.values() == null ? List.of() : condition.values());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field + ".values", e.getMessage());
        }
    }
}
