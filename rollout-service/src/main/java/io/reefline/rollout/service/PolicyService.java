package io.reefline.rollout.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.persistence.RingPolicyEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The ring policy: the stored one, or {@link RingPolicy#defaults()} until an admin stores one. */
@ApplicationScoped
public class PolicyService {

    /** The policy with its ETag value; the defaults have ETag {@code defaults}. */
    public record CurrentPolicy(PolicyDocument document, RingPolicy policy, String etag) {}

    static final String DEFAULTS_ETAG = "defaults";

    private final ObjectMapper json;
    private final Clock clock;

    PolicyService(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public CurrentPolicy current() {
        return RingPolicyEntity.stored()
                .map(stored -> {
                    PolicyDocument document = read(stored.document);
                    return new CurrentPolicy(document, document.parse().policy(), etag(stored));
                })
                .orElseGet(() -> new CurrentPolicy(
                        PolicyDocument.of(RingPolicy.defaults()), RingPolicy.defaults(), DEFAULTS_ETAG));
    }

    /**
     * Replaces the policy. {@code ifMatch} (empty: no precondition) must name the current ETag, or the write is refused
     * with 412 so a concurrent edit is never overwritten silently.
     */
    @Transactional
    public CurrentPolicy replace(PolicyDocument document, Set<String> ifMatch, String by) {
        RingPolicy policy = parseOrReject(document);
        RingPolicyEntity stored = RingPolicyEntity.stored().orElse(null);
        String currentEtag = stored == null ? DEFAULTS_ETAG : etag(stored);
        if (!ifMatch.isEmpty() && !ifMatch.contains(currentEtag)) {
            throw ProblemException.stale("The ring policy", "\"" + currentEtag + "\"");
        }
        PolicyDocument normalised = PolicyDocument.of(policy);
        if (stored == null) {
            stored = new RingPolicyEntity();
            stored.id = RingPolicyEntity.THE_POLICY;
        }
        stored.document = write(normalised);
        stored.updatedBy = by;
        stored.updatedAt = clock.instant();
        stored.persistAndFlush();
        return new CurrentPolicy(normalised, policy, etag(stored));
    }

    /** The policy a document describes; a 400 problem naming every wrong field otherwise. */
    public static RingPolicy parseOrReject(PolicyDocument document) {
        PolicyDocument.Parsed parsed = document.parse();
        if (!parsed.violations().isEmpty()) {
            List<FieldViolation> violations = parsed.violations().stream()
                    .map(v -> new FieldViolation(v.field(), v.message()))
                    .toList();
            String detail =
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "));
            throw new ProblemException(Problem.validation("Invalid ring policy: " + detail, violations));
        }
        return parsed.policy();
    }

    public PolicyDocument read(String text) {
        try {
            return json.readValue(text, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored ring policy is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    public String write(PolicyDocument document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Ring policy cannot be written as JSON", e);
        }
    }

    private static String etag(RingPolicyEntity stored) {
        return "policy-" + stored.version;
    }
}
