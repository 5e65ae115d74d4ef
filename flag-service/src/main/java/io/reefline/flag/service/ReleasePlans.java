package io.reefline.flag.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.flag.domain.release.ReleasePlan;
import io.reefline.flag.domain.structured.StructuredTargeting;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.persistence.ReleasePlanEntity;
import io.reefline.flag.rest.ReleasePlanRequest;
import io.reefline.platform.andon.GateAnswer;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Release plans: operators create, pause, resume and stop them; {@link ReleasePlanJob} advances them. Each phase is
 * written as the flag's structured targeting in that environment, so evaluation stays the one path it always is,
 * and every change leaves audit rows (of the plan, and of the configuration a phase writes) in its transaction.
 */
@ApplicationScoped
public class ReleasePlans {

    /** Who the audit log names when the job moves a plan. */
    public static final String JOB_ACTOR = "release-plan";

    private final FlagService flags;
    private final FlagCompilation compilation;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final Clock clock;

    ReleasePlans(FlagService flags, FlagCompilation compilation, AuditTrail audit, ObjectMapper mapper, Clock clock) {
        this.flags = flags;
        this.compilation = compilation;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A plan and whether this call created it. */
    public record Change(ReleasePlanEntity plan, boolean created) {}

    /** A due plan and the gate scope it asks about. */
    public record Due(long id, String release, String ring) {}

    public ReleasePlanEntity plan(String flagKey, String environmentKey) {
        flags.config(flagKey, environmentKey);
        return ReleasePlanEntity.find(flagKey, environmentKey)
                .orElseThrow(() -> ProblemException.notFound("Release plan of flag " + flagKey, environmentKey));
    }

    /** The names of the plan's phases, in order. */
    public List<String> phaseNames(ReleasePlanEntity plan) {
        return domain(request(plan), "").phases().stream()
                .map(ReleasePlan.Phase::name)
                .toList();
    }

    /**
     * Creates the plan, or replaces the definition of an existing one. A new plan (or one that was stopped or
     * completed) starts at "off" and takes its first step at {@code startAt}; a running or paused plan keeps its
     * phase and the time that phase started. Either way the flag is enabled here and gets the phase's targeting.
     */
    @Transactional
    public Change save(String flagKey, String environmentKey, ReleasePlanRequest given, String actor) {
        FlagEnvironmentEntity config = flags.config(flagKey, environmentKey);
        ReleasePlanRequest request = given.withDefaults();
        ReleasePlan plan = domain(request, "");
        List<ReleasePlan.Phase> phases = plan.phases();
        Instant now = clock.instant();
        Instant startAt = startAt(request.startAt(), now);
        Set<String> variants = compilation.variants(config).keySet();
        if (!variants.contains(request.variant())) {
            throw ProblemException.badRequest(
                    "variant", "'" + request.variant() + "' is not one of the variants " + variants);
        }
        ReleasePlanEntity entity =
                ReleasePlanEntity.find(flagKey, environmentKey).orElse(null);
        boolean created = entity == null;
        Map<String, Object> before = created ? null : state(entity);
        boolean restart = created || !(entity.running() || ReleasePlanEntity.PAUSED.equals(entity.status));
        if (created) {
            entity = new ReleasePlanEntity();
            entity.flagKey = flagKey;
            entity.environmentKey = environmentKey;
            entity.createdBy = actor;
        }
        entity.definition = flags.asMap(mapper.valueToTree(request));
        if (restart) {
            entity.status = ReleasePlanEntity.ACTIVE;
            entity.phase = 0;
            entity.phaseStartedAt = now;
            entity.nextStepAt = startAt;
            entity.pauseReason = null;
        } else {
            entity.phase = Math.min(entity.phase, phases.size() - 1);
            entity.nextStepAt = nextStepAt(phases.get(entity.phase), entity.phaseStartedAt, startAt);
            if (entity.nextStepAt == null) {
                entity.status = ReleasePlanEntity.COMPLETED;
            }
        }
        entity.updatedAt = now;
        if (created) {
            entity.persist();
        }
        write(config, request, phases.get(entity.phase), true, actor);
        audit.record(flagKey, environmentKey, actor, created ? "plan-create" : "plan-update", before, state(entity));
        ReleasePlanEntity.flush();
        return new Change(entity, created);
    }

    /** Stops a running plan from advancing until it is resumed; the flag stays as the current phase left it. */
    @Transactional
    public ReleasePlanEntity pause(String flagKey, String environmentKey, String reason, String actor) {
        ReleasePlanEntity plan = plan(flagKey, environmentKey);
        if (!plan.running()) {
            throw ProblemException.conflict("The release plan of " + flagKey + " in " + environmentKey + " is "
                    + plan.status + "; only an active or held plan can be paused");
        }
        return change(
                plan,
                ReleasePlanEntity.PAUSED,
                "paused by " + actor + (reason == null || reason.isBlank() ? "" : ": " + reason.strip()),
                "plan-pause",
                actor);
    }

    /** Lets a paused plan advance again (at once if its next step is already due, and if the gate allows). */
    @Transactional
    public ReleasePlanEntity resume(String flagKey, String environmentKey, String actor) {
        ReleasePlanEntity plan = plan(flagKey, environmentKey);
        if (!ReleasePlanEntity.PAUSED.equals(plan.status)) {
            throw ProblemException.conflict("The release plan of " + flagKey + " in " + environmentKey + " is "
                    + plan.status + "; only a paused plan can be resumed");
        }
        return change(plan, ReleasePlanEntity.ACTIVE, null, "plan-resume", actor);
    }

    /** Ends the plan for good; the flag stays as the current phase left it (the kill switch is separate). */
    @Transactional
    public ReleasePlanEntity stop(String flagKey, String environmentKey, String actor) {
        ReleasePlanEntity plan = plan(flagKey, environmentKey);
        if (!(plan.running() || ReleasePlanEntity.PAUSED.equals(plan.status))) {
            throw ProblemException.conflict(
                    "The release plan of " + flagKey + " in " + environmentKey + " is already " + plan.status);
        }
        return change(plan, ReleasePlanEntity.STOPPED, "stopped by " + actor, "plan-stop", actor);
    }

    /** Plans whose next phase is due now, with the gate scope each asks about. */
    @Transactional
    public List<Due> due() {
        List<Due> due = new ArrayList<>();
        for (ReleasePlanEntity plan : ReleasePlanEntity.due(clock.instant())) {
            ReleasePlanRequest request = request(plan);
            due.add(new Due(plan.id, request.release(), request.ring()));
        }
        return due;
    }

    /**
     * Moves a due plan one phase on when the gate allowed it; otherwise holds it with the gate's reason. Plans that
     * are no longer due (paused, stopped or advanced by another replica meanwhile) are left alone.
     */
    @Transactional
    public void advanceOrHold(long id, GateAnswer gate) {
        ReleasePlanEntity plan = ReleasePlanEntity.findById(id);
        Instant now = clock.instant();
        if (plan == null || !plan.running() || plan.nextStepAt == null || plan.nextStepAt.isAfter(now)) {
            return;
        }
        plan.gateCheckedAt = now;
        if (!gate.allowed()) {
            if (!ReleasePlanEntity.HELD.equals(plan.status)) {
                Map<String, Object> before = state(plan);
                plan.status = ReleasePlanEntity.HELD;
                plan.pauseReason = "andon gate closed: " + gate.reason();
                plan.updatedAt = now;
                audit.record(plan.flagKey, plan.environmentKey, JOB_ACTOR, "plan-hold", before, state(plan));
            } else {
                plan.pauseReason = "andon gate closed: " + gate.reason();
            }
            return;
        }
        Map<String, Object> before = state(plan);
        ReleasePlanRequest request = request(plan);
        List<ReleasePlan.Phase> phases = domain(request, "").phases();
        ReleasePlan.Phase next = phases.get(Math.min(plan.phase + 1, phases.size() - 1));
        plan.phase = next.index();
        plan.phaseStartedAt = now;
        plan.nextStepAt = next.last() ? null : now.plus(next.lasts());
        plan.status = next.last() ? ReleasePlanEntity.COMPLETED : ReleasePlanEntity.ACTIVE;
        plan.pauseReason = null;
        plan.updatedAt = now;
        write(flags.config(plan.flagKey, plan.environmentKey), request, next, false, JOB_ACTOR);
        audit.record(plan.flagKey, plan.environmentKey, JOB_ACTOR, "plan-advance", before, state(plan));
    }

    private ReleasePlanEntity change(
            ReleasePlanEntity plan, String status, String reason, String action, String actor) {
        Map<String, Object> before = state(plan);
        plan.status = status;
        plan.pauseReason = reason;
        plan.updatedAt = clock.instant();
        if (ReleasePlanEntity.STOPPED.equals(status)) {
            plan.nextStepAt = null;
        }
        audit.record(plan.flagKey, plan.environmentKey, actor, action, before, state(plan));
        ReleasePlanEntity.flush();
        return plan;
    }

    /**
     * Writes a phase as the flag's structured targeting: excluded tenants first, then the tenants named so far (on
     * the context attribute {@code tenant}) and the staff ring as rules, then the sticky percentage of everyone
     * else. The job never enables a flag, so a kill switch pulled during a ramp stays pulled.
     */
    private void write(
            FlagEnvironmentEntity config,
            ReleasePlanRequest request,
            ReleasePlan.Phase phase,
            boolean enable,
            String actor) {
        Map<String, Object> before = AuditTrail.state(config);
        boolean wasUniform = config.uniform();
        boolean wasEnabled = config.enabled;
        List<StructuredTargetingForm.Rule> rules = new ArrayList<>();
        if (!phase.tenants().isEmpty()) {
            rules.add(rule(
                    "plan tenants",
                    StructuredTargeting.TENANT_ATTRIBUTE,
                    "IN",
                    List.copyOf(new TreeSet<>(phase.tenants())),
                    request.variant()));
        }
        if (phase.staffRing()) {
            rules.add(rule(
                    "staff ring",
                    ReleasePlan.RING_ATTRIBUTE,
                    "EQUALS",
                    List.of(ReleasePlan.STAFF_RING),
                    request.variant()));
        }
        StructuredTargetingForm.Inclusion inclusion = phase.percent() >= 100
                ? new StructuredTargetingForm.Inclusion(StructuredTargetingForm.Inclusion.ALL, null, null)
                : phase.percent() > 0
                        ? new StructuredTargetingForm.Inclusion(
                                StructuredTargetingForm.Inclusion.PERCENTAGE, null, phase.percent())
                        : new StructuredTargetingForm.Inclusion(
                                StructuredTargetingForm.Inclusion.LIST, List.of(), null);
        StructuredTargetingForm form = new StructuredTargetingForm(
                inclusion, request.variant(), List.copyOf(new TreeSet<>(request.excludedTenants())), rules);
        config.targetingKind = FlagEnvironmentEntity.STRUCTURED;
        config.targeting = flags.asMap(mapper.valueToTree(form));
        if (enable) {
            config.enabled = true;
        }
        flags.saved(config, before, wasUniform, wasEnabled, config.defaultVariant, "plan-phase " + phase.name(), actor);
    }

    private static StructuredTargetingForm.Rule rule(
            String segment, String attribute, String operator, List<Object> values, String variant) {
        return new StructuredTargetingForm.Rule(
                List.of(new StructuredTargetingForm.SegmentForm(
                        segment, List.of(new StructuredTargetingForm.Condition(attribute, operator, values)))),
                variant);
    }

    private static Instant nextStepAt(ReleasePlan.Phase phase, Instant phaseStartedAt, Instant startAt) {
        if (phase.index() == 0) {
            return startAt;
        }
        return phase.last() ? null : phaseStartedAt.plus(phase.lasts());
    }

    private ReleasePlanRequest request(ReleasePlanEntity plan) {
        return mapper.convertValue(plan.definition, ReleasePlanRequest.class);
    }

    /** The domain's plan from a request with its defaults; a 400 naming the field when something is wrong. */
    static ReleasePlan domain(ReleasePlanRequest request, String prefix) {
        if (request.rampFrom() < 1 || request.rampFrom() > 99) {
            throw ProblemException.badRequest(prefix + "rampFrom", "must be a whole percentage from 1 to 99");
        }
        if (request.rampSteps() < 1 || request.rampSteps() > 100) {
            throw ProblemException.badRequest(prefix + "rampSteps", "must be from 1 to 100");
        }
        return new ReleasePlan(
                tenants(request.staffTenants(), prefix + "staffTenants"),
                request.staffRing(),
                duration(request.staffFor(), prefix + "staffFor"),
                tenants(request.earlyAdopters(), prefix + "earlyAdopters"),
                duration(request.earlyAdoptersFor(), prefix + "earlyAdoptersFor"),
                request.rampFrom(),
                request.rampSteps(),
                duration(request.rampPeriod(), prefix + "rampPeriod"),
                tenants(request.excludedTenants(), prefix + "excludedTenants"));
    }

    private static Set<String> tenants(List<String> tenants, String field) {
        Set<String> cleaned = new TreeSet<>();
        for (int i = 0; i < tenants.size(); i++) {
            String tenant = tenants.get(i);
            if (tenant == null || tenant.isBlank()) {
                throw ProblemException.badRequest(field + "[" + i + "]", "a tenant id must not be blank");
            }
            cleaned.add(tenant.strip());
        }
        return cleaned;
    }

    private static Duration duration(String text, String field) {
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw ProblemException.badRequest(field, "must not be negative");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an ISO-8601 duration such as PT4H or P2D");
        }
    }

    private static Instant startAt(String text, Instant now) {
        if (text == null) {
            return now;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("startAt", "must be an ISO-8601 instant such as 2026-05-01T08:00:00Z");
        }
    }

    /** What an audit row keeps of a plan. */
    static Map<String, Object> state(ReleasePlanEntity plan) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", plan.status);
        state.put("phase", plan.phase);
        state.put("phaseStartedAt", plan.phaseStartedAt == null ? null : plan.phaseStartedAt.toString());
        state.put("nextStepAt", plan.nextStepAt == null ? null : plan.nextStepAt.toString());
        state.put("pauseReason", plan.pauseReason);
        state.put("plan", plan.definition == null ? null : new LinkedHashMap<>(plan.definition));
        return state;
    }
}
