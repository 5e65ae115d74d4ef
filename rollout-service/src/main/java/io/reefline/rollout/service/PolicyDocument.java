package io.reefline.rollout.service;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * The ring policy as JSON, the same on the wire and in the database. Durations are ISO-8601 ({@code PT30M},
 * {@code P2D}); a selector is {@code {"type":"pinned","pin":"staff"}}, {@code {"type":"percentage","percent":5}},
 * {@code {"type":"remainder"}} or {@code {"type":"explicit","instanceIds":[...]}}.
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
            Boolean optional) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelectorDocument(String type, String pin, Double percent, List<String> instanceIds) {}

    /** The policy this document describes, or the fields that are wrong, named like {@code rings[1].soak}. */
    public record Parsed(RingPolicy policy, List<Violation> violations) {}

    public static PolicyDocument of(RingPolicy policy) {
        List<RingDocument> rings = policy.rings().stream()
                .map(r -> new RingDocument(
                        r.name(), selector(r.selector()), r.soak(), r.deadline(), r.windowsApply(), r.optional()))
                .toList();
        return new PolicyDocument(
                rings,
                policy.inFlightLimitPerReef(),
                policy.expectedUpgrade(),
                policy.canaryRotation(),
                policy.soakChecks());
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
        Set<String> unreadSelectors = new HashSet<>();
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
                    unreadSelectors.add("rings[" + i + "].selector");
                }
                parsedRings.add(new Ring(
                        ring.name(),
                        selector,
                        ring.soak(),
                        ring.deadline(),
                        ring.windowsApply() == null || ring.windowsApply(),
                        ring.optional() != null && ring.optional()));
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
        policy.validate().stream()
                .filter(v -> !unreadSelectors.contains(v.field()))
                .forEach(violations::add);
        return new Parsed(violations.isEmpty() ? policy : null, List.copyOf(violations));
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
