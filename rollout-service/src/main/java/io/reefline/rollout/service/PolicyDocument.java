package io.reefline.rollout.service;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.analysis.Metric;
import io.reefline.rollout.domain.analysis.MetricCheck;
import io.reefline.rollout.domain.analysis.StatTest;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.policy.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ring policy as JSON, the same on the wire and in the database. Durations are ISO-8601 ({@code PT30M},
 * {@code P2D}); a selector is {@code {"type":"pinned","pin":"staff"}}, {@code {"type":"percentage","percent":5}},
 * {@code {"type":"remainder"}} or {@code {"type":"explicit","instanceIds":[...]}}. A ring's {@code analysis} is
 * {@code {"interval","minDuration","dryRun","restoreFailedCanaries","metrics":[{"name","test","alpha",
 * "minRelativeIncrease","minAbsoluteIncrease","minSamples","max"}]}}; an omitted field takes the value of
 * {@link AnalysisSpec#defaults()} (for a metric's field: of the default check of the same metric).
 */
public record PolicyDocument(
        List<RingDocument> rings,
        Integer inFlightLimitPerReef,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration expectedUpgrade,
        Integer canaryRotation,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer soakChecks) {

    /**
     * One ring; {@code windowsApply} defaults to true, so only the staff ring has to say otherwise. {@code optional}
     * defaults to false: a ring without members holds the release unless it is optional.
     */
    public record RingDocument(
            String name,
            SelectorDocument selector,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soak,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration deadline,
            Boolean windowsApply,
            Boolean optional,
            @JsonInclude(JsonInclude.Include.NON_NULL) AnalysisDocument analysis) {

        public RingDocument(
                String name,
                SelectorDocument selector,
                Duration soak,
                Duration deadline,
                Boolean windowsApply,
                Boolean optional) {
            this(name, selector, soak, deadline, windowsApply, optional, null);
        }
    }

    /**
     * A ring's canary analysis; see {@link AnalysisSpec}. Registered for reflection here because the policy is also
     * stored as JSON with the ObjectMapper directly (a native image needs it).
     */
    @RegisterForReflection
    public record AnalysisDocument(
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration minDuration,
            Boolean dryRun,
            Boolean restoreFailedCanaries,
            List<MetricDocument> metrics) {}

    /** One metric: {@code name} and {@code test} are the JSON names of {@link Metric} and {@link StatTest}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetricDocument(
            String name,
            String test,
            Double alpha,
            Double minRelativeIncrease,
            Double minAbsoluteIncrease,
            Integer minSamples,
            Double max) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelectorDocument(String type, String pin, Double percent, List<String> instanceIds) {}

    /** The policy this document describes, or the fields that are wrong, named like {@code rings[1].soak}. */
    public record Parsed(RingPolicy policy, List<Violation> violations) {}

    public static PolicyDocument of(RingPolicy policy) {
        List<RingDocument> rings = policy.rings().stream()
                .map(r -> new RingDocument(
                        r.name(),
                        selector(r.selector()),
                        r.soak(),
                        r.deadline(),
                        r.windowsApply(),
                        r.optional(),
                        analysis(r.analysis())))
                .toList();
        return new PolicyDocument(
                rings,
                policy.inFlightLimitPerReef(),
                policy.expectedUpgrade(),
                policy.canaryRotation(),
                policy.soakChecks());
    }

    private static AnalysisDocument analysis(AnalysisSpec spec) {
        if (spec == null) {
            return null;
        }
        return new AnalysisDocument(
                spec.interval(),
                spec.minDuration(),
                spec.dryRun(),
                spec.restoreFailedCanaries(),
                spec.metrics().stream()
                        .map(m -> new MetricDocument(
                                m.metric().jsonName(),
                                m.test().jsonName(),
                                m.alpha(),
                                m.minRelativeIncrease(),
                                m.minAbsoluteIncrease(),
                                m.minSamples(),
                                m.max()))
                        .toList());
    }

    private static SelectorDocument selector(RingSelector selector) {
        if (selector instanceof RingSelector.Pinned p) {
            return new SelectorDocument("pinned", p.pin().name().toLowerCase(Locale.ROOT), null, null);
        }
        if (selector instanceof RingSelector.Percentage p) {
            return new SelectorDocument("percentage", null, p.percent(), null);
        }
        if (selector instanceof RingSelector.Explicit e) {
            return new SelectorDocument("explicit", null, null, List.copyOf(new TreeSet<>(e.instanceIds())));
        }
        return new SelectorDocument("remainder", null, null, null);
    }

    /** Reads the document into a policy and validates it with {@link RingPolicy#validate()}. */
    public Parsed parse() {
        List<Violation> violations = new ArrayList<>();
        if (inFlightLimitPerReef == null) {
            violations.add(new Violation("inFlightLimitPerReef", "is required"));
        }
        if (canaryRotation == null) {
            violations.add(new Violation("canaryRotation", "is required"));
        }
        List<Ring> parsedRings = null;
        // Fields that could not be read already have their own violation; the domain would only add "is required".
        Set<String> unread = new HashSet<>();
        if (rings != null) {
            parsedRings = new ArrayList<>();
            for (int i = 0; i < rings.size(); i++) {
                RingDocument ring = rings.get(i);
                if (ring == null) {
                    parsedRings.add(null);
                    continue;
                }
                RingSelector selector = ring.selector() == null
                        ? null
                        : selector(ring.selector(), "rings[" + i + "].selector", violations);
                if (ring.selector() != null && selector == null) {
                    unread.add("rings[" + i + "].selector");
                }
                AnalysisSpec analysis = ring.analysis() == null
                        ? null
                        : analysis(ring.analysis(), "rings[" + i + "].analysis", violations, unread);
                parsedRings.add(new Ring(
                        ring.name(),
                        selector,
                        ring.soak(),
                        ring.deadline(),
                        ring.windowsApply() == null || ring.windowsApply(),
                        ring.optional() != null && ring.optional(),
                        analysis));
            }
        }
        RingPolicy policy = new RingPolicy(
                parsedRings,
                inFlightLimitPerReef == null ? 1 : inFlightLimitPerReef,
                expectedUpgrade,
                canaryRotation == null ? 0 : canaryRotation,
                soakChecks);
        // A selector that could not be read already has its own violation; the domain would only add "must not be
        // null".
        policy.validate().stream().filter(v -> !unread.contains(v.field())).forEach(violations::add);
        return new Parsed(violations.isEmpty() ? policy : null, List.copyOf(violations));
    }

    /**
     * The analysis, omitted fields taken from {@link AnalysisSpec#defaults()}. A metric or test name that is not known
     * is recorded as a violation (and in {@code unread}, so that the domain's "is required" for it is not added).
     */
    private static AnalysisSpec analysis(
            AnalysisDocument doc, String at, List<Violation> violations, Set<String> unread) {
        AnalysisSpec defaults = AnalysisSpec.defaults();
        List<MetricCheck> metrics;
        if (doc.metrics() == null) {
            metrics = defaults.metrics();
        } else {
            metrics = new ArrayList<>();
            for (int i = 0; i < doc.metrics().size(); i++) {
                MetricDocument m = doc.metrics().get(i);
                metrics.add(m == null ? null : metric(m, at + ".metrics[" + i + "]", violations, unread));
            }
        }
        return new AnalysisSpec(
                doc.interval() == null ? defaults.interval() : doc.interval(),
                doc.minDuration() == null ? defaults.minDuration() : doc.minDuration(),
                doc.dryRun() == null ? defaults.dryRun() : doc.dryRun(),
                doc.restoreFailedCanaries() == null ? defaults.restoreFailedCanaries() : doc.restoreFailedCanaries(),
                metrics);
    }

    /** What the omitted fields of a metric that is not known take; its name already has a violation. */
    private static final MetricCheck UNKNOWN_METRIC = new MetricCheck(null, null, 0.001, 0, 0, 20, null);

    private static MetricCheck metric(MetricDocument m, String at, List<Violation> violations, Set<String> unread) {
        Optional<Metric> metric = Optional.empty();
        if (m.name() == null) {
            violations.add(new Violation(at + ".name", "is required"));
            unread.add(at + ".name");
        } else {
            metric = Metric.ofJson(m.name());
            if (metric.isEmpty()) {
                violations.add(
                        new Violation(at + ".name", "must be one of error-rate, latency, restarts, health-failures"));
                unread.add(at + ".name");
            }
        }
        MetricCheck base = metric.flatMap(AnalysisSpec::defaultCheck).orElse(UNKNOWN_METRIC);
        StatTest test = base.test();
        if (m.test() == null) {
            // every known metric has a default test; for an unknown one the name's violation says enough
            unread.add(at + ".test");
        } else {
            test = StatTest.ofJson(m.test()).orElse(null);
            if (test == null) {
                violations.add(new Violation(at + ".test", "must be one of mann-whitney, threshold"));
                unread.add(at + ".test");
            }
        }
        return new MetricCheck(
                metric.orElse(null),
                test,
                m.alpha() != null ? m.alpha() : base.alpha(),
                m.minRelativeIncrease() != null ? m.minRelativeIncrease() : base.minRelativeIncrease(),
                m.minAbsoluteIncrease() != null ? m.minAbsoluteIncrease() : base.minAbsoluteIncrease(),
                m.minSamples() != null ? m.minSamples() : base.minSamples(),
                // a default max belongs to the default test: a metric switched to a threshold names its own
                m.max() != null ? m.max() : base.test() == test ? base.max() : null);
    }

    /** The selector, or null after recording why it cannot be read. */
    private static RingSelector selector(SelectorDocument selector, String at, List<Violation> violations) {
        String type = selector.type() == null ? "" : selector.type().toLowerCase(Locale.ROOT);
        switch (type) {
            case "pinned" -> {
                String pin = selector.pin() == null ? "" : selector.pin().toLowerCase(Locale.ROOT);
                return switch (pin) {
                    case "staff" -> new RingSelector.Pinned(PinnedRing.STAFF);
                    case "laggard" -> new RingSelector.Pinned(PinnedRing.LAGGARD);
                    default -> {
                        violations.add(new Violation(at + ".pin", "must be staff or laggard"));
                        yield null;
                    }
                };
            }
            case "percentage" -> {
                if (selector.percent() == null) {
                    violations.add(new Violation(at + ".percent", "is required"));
                    return null;
                }
                return new RingSelector.Percentage(selector.percent());
            }
            case "remainder" -> {
                return new RingSelector.Remainder();
            }
            case "explicit" -> {
                if (selector.instanceIds() == null
                        || selector.instanceIds().stream().anyMatch(id -> id == null)) {
                    violations.add(new Violation(at + ".instanceIds", "must be a list of instance ids"));
                    return null;
                }
                return new RingSelector.Explicit(new HashSet<>(selector.instanceIds()));
            }
            default -> {
                violations.add(new Violation(at + ".type", "must be one of pinned, percentage, remainder, explicit"));
                return null;
            }
        }
    }
}
