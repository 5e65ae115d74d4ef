package io.reefline.rollout.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.platform.outbox.Outbox;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.version.Version;
import io.reefline.rollout.client.AndonGate;
import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.fleet.ImageReference;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Forecast;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.plan.Plan;
import io.reefline.rollout.domain.plan.PlanRequest;
import io.reefline.rollout.domain.plan.Planner;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.persistence.ReleaseEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registers releases and answers what the planner says about them. The ring assignment is drawn once, at registration,
 * with a recorded seed and the canaries of the previous K releases, and kept: every later plan uses the same canaries.
 */
@ApplicationScoped
public class ReleaseService {

    /** Where and how metrics-service receives release events. */
    static final String METRICS = "metrics";

    static final String RELEASE_EVENTS = "/api/events/releases";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> RING_BY_INSTANCE = new TypeReference<>() {};
    private static final TypeReference<List<CanarySelection>> SELECTIONS = new TypeReference<>() {};

    /** A new release as CI describes it; validated by the resource. */
    public record Registration(
            Version version,
            String image,
            String channel,
            List<String> commits,
            Instant createdAt,
            boolean expedite,
            boolean ignoreWindows,
            String ignoreWindowsReason) {}

    /** The {@code release registered} event metrics-service ingests, idempotent by {@code id}. */
    public record ReleaseRegistered(UUID id, String version, List<String> commits, Instant createdAt) {}

    /** A stored release read back into the domain, with the assignment it was registered with. */
    public record RegisteredRelease(
            ReleaseEntity entity, Release release, RingPolicy policy, RingAssignment assignment) {}

    /**
     * What a forecast is asked: a release (registered or not) shipping at a time, under a policy. {@code channel} is
     * the channel of a hypothetical release ({@code stable} when empty); a registered one has its own.
     */
    public record ForecastQuestion(
            Optional<Version> version,
            Optional<String> image,
            Optional<String> channel,
            Instant shipAt,
            Optional<RingPolicy> policy,
            Long seed) {}

    private final InventoryService inventory;
    private final PolicyService policies;
    private final FreezeService freezes;
    private final AndonGate gate;
    private final UpgradeRecords records;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final Planner planner = new Planner();
    private final SecureRandom seeds = new SecureRandom();

    ReleaseService(
            InventoryService inventory,
            PolicyService policies,
            FreezeService freezes,
            AndonGate gate,
            UpgradeRecords records,
            Outbox outbox,
            ObjectMapper json,
            Clock clock) {
        this.records = records;
        this.inventory = inventory;
        this.policies = policies;
        this.freezes = freezes;
        this.gate = gate;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Stores the release with its ring assignment and enqueues the {@code release registered} event in the same
     * transaction. The image must name the version (see {@link ImageReference#problemWith}), or it is a 400 naming
     * {@code image}: a release whose image is another build would move instances to a version nobody registered,
     * possibly an older one. A version that is already registered (compared as versions: {@code 2026.11} is
     * {@code 2026.11.0}) is a conflict. Canaries are drawn among the instances of the release's channel only.
     */
    @Transactional
    public RegisteredRelease register(Registration registration, String by) {
        ImageReference.parse(registration.image())
                .problemWith(registration.version())
                .ifPresent(problem -> {
                    throw ProblemException.badRequest("image", problem);
                });
        Release release = new Release(
                registration.version(),
                registration.image(),
                registration.channel(),
                registration.createdAt(),
                registration.commits(),
                registration.expedite(),
                registration.ignoreWindows(),
                registration.ignoreWindowsReason());
        for (ReleaseEntity existing : ReleaseEntity.newestFirst()) {
            if (Version.parse(existing.version).equals(registration.version())) {
                throw ProblemException.conflict("Release " + existing.version + " is already registered");
            }
        }
        PolicyService.CurrentPolicy current = policies.current();
        List<Instance> fleet = release.instancesOf(inventory.fleet());
        long seed = seeds.nextLong();
        Instant registeredAt = clock.instant();
        // The plan's rings open from the registration time, so the canaries are drawn for windows from then on.
        RingAssignment assignment = RingAssignment.assign(
                current.policy(),
                fleet,
                seed,
                recentCanaries(current.policy().canaryRotation(), release.channel(), null),
                new RingAssignment.Timing(registeredAt, registration.expedite(), registration.ignoreWindows()));

        ReleaseEntity entity = new ReleaseEntity();
        entity.version = registration.version().toString();
        entity.image = registration.image();
        entity.channel = registration.channel();
        entity.commits = write(registration.commits());
        entity.createdAt = registration.createdAt();
        entity.expedite = registration.expedite();
        entity.ignoreWindows = registration.ignoreWindows();
        entity.ignoreWindowsReason = registration.ignoreWindowsReason();
        entity.registeredBy = by;
        entity.registeredAt = registeredAt;
        entity.seed = seed;
        entity.policy = policies.write(current.document());
        entity.assignment = write(assignment.ringByInstance());
        entity.canaries = write(assignment.canaries());
        try {
            entity.persistAndFlush();
        } catch (PersistenceException e) {
            // Another registration of the same version committed between our check and this insert.
            throw ProblemException.conflict("Release " + entity.version + " is already registered");
        }

        UUID eventId = UUID.randomUUID();
        outbox.enqueue(
                METRICS,
                RELEASE_EVENTS,
                eventId,
                new ReleaseRegistered(eventId, entity.version, registration.commits(), registration.createdAt()));
        return read(entity);
    }

    @Transactional
    public List<RegisteredRelease> all() {
        return ReleaseEntity.newestFirst().stream().map(this::read).toList();
    }

    /** The release with this version, compared as versions. */
    @Transactional
    public RegisteredRelease find(String version) {
        Version wanted;
        try {
            wanted = Version.parse(version);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Release", version);
        }
        return ReleaseEntity.newestFirst().stream()
                .filter(r -> Version.parse(r.version).equals(wanted))
                .findFirst()
                .map(this::read)
                .orElseThrow(() -> ProblemException.notFound("Release", version));
    }

    /**
     * Where the release stands now: per instance of its channel and per ring, from the current inventory, the stored
     * freezes and the andon gate (asked once for the release; closed when andon-service cannot answer).
     */
    public Plan plan(RegisteredRelease release) {
        return plan(release, inventory.fleet(), freezes.freezes());
    }

    /** Every release's plan over the current inventory. */
    public List<Plan> plans(List<RegisteredRelease> releases) {
        return plans(releases, inventory.fleet());
    }

    /** The plans of several releases over one fleet, reading the stored freezes once; the gate is asked per release. */
    public List<Plan> plans(List<RegisteredRelease> releases, List<Instance> fleet) {
        List<Freeze> stored = freezes.freezes();
        return releases.stream().map(r -> plan(r, fleet, stored)).toList();
    }

    private Plan plan(RegisteredRelease release, List<Instance> fleet, List<Freeze> freezes) {
        return plan(release, fleet, freezes, gate.ask(release.entity().version), clock.instant());
    }

    /**
     * The plan at {@code now} with the stored upgrades, over the instances of {@code fleet} in the release's channel
     * (the domain leaves the others out): running ones hold their reefs' in-flight slots, finished ones
     * count with their finish times, and instances whose upgrade to this release failed are not tried again and keep
     * their ring from completing, so no later ring opens (the fix is a newer release).
     */
    public Plan plan(
            RegisteredRelease release, List<Instance> fleet, List<Freeze> freezes, GateState gateState, Instant now) {
        UpgradeRecords.Snapshot upgrades = records.of(release.entity().version);
        return planner.plan(PlanRequest.builder(fleet, release.policy(), release.release(), release.assignment())
                .releaseTime(release.entity().registeredAt)
                .freezes(freezes)
                .gate(gateState)
                .inFlight(upgrades.inFlight())
                .completedAt(upgrades.completedAt())
                .failed(upgrades.failed())
                .at(now));
    }

    /**
     * The newest registered release of every channel: the ones the scheduler moves forward. Asked every tick, so only
     * the winners are read into the domain (their policy and assignment are the large part).
     */
    @Transactional
    public List<RegisteredRelease> newestPerChannel() {
        Map<String, ReleaseEntity> newest = new java.util.TreeMap<>();
        Map<Long, Version> versions = new java.util.HashMap<>();
        for (ReleaseEntity release : ReleaseEntity.newestFirst()) {
            versions.put(release.id, Version.parse(release.version));
            newest.merge(
                    release.channel, release, (a, b) -> versions.get(a.id).compareTo(versions.get(b.id)) >= 0 ? a : b);
        }
        return newest.values().stream().map(this::read).toList();
    }

    /**
     * "If this ships at T, when does each ring finish and when does the last customer get it?" A registered version is
     * forecast with its own image, channel, flags and seed; any other version or image is a hypothetical release of
     * the asked channel ({@code stable} by default), whose image, when given, must name its version as at registration.
     * Only the instances of the release's channel are planned. The stored freezes hold; the andon gate does not: a cord
     * pulled now says nothing about when the release would ship.
     */
    @Transactional
    public Forecast forecast(ForecastQuestion question) {
        Optional<ReleaseEntity> registered = question.version()
                .flatMap(v -> ReleaseEntity.newestFirst().stream()
                        .filter(r -> Version.parse(r.version).equals(v))
                        .findFirst());
        Release release;
        long seed;
        if (registered.isPresent()) {
            RegisteredRelease known = read(registered.get());
            release = known.release();
            if (question.channel().isPresent() && !question.channel().get().equals(release.channel())) {
                throw ProblemException.badRequest(
                        "channel",
                        "release " + release.version() + " is registered on channel '" + release.channel() + "', not '"
                                + question.channel().get() + "'");
            }
            seed = question.seed() == null ? known.entity().seed : question.seed();
        } else {
            Version version = question.version()
                    .orElseGet(() -> imageVersion(question.image().orElseThrow()));
            question.image()
                    .flatMap(image -> ImageReference.parse(image).problemWith(version))
                    .ifPresent(problem -> {
                        throw ProblemException.badRequest("image", problem);
                    });
            release = Release.of(
                    version,
                    question.image().orElse(version.toString()),
                    question.channel().orElse(Channel.DEFAULT),
                    question.shipAt(),
                    List.of());
            seed = question.seed() == null ? version.toString().hashCode() : question.seed();
        }
        RingPolicy policy = question.policy().orElseGet(() -> policies.current().policy());
        return planner.forecast(
                inventory.fleet(),
                policy,
                release,
                question.shipAt(),
                seed,
                recentCanaries(
                        policy.canaryRotation(),
                        release.channel(),
                        registered.map(r -> r.id).orElse(null)),
                freezes.freezes());
    }

    /** The version in an image's tag, or a 400 naming the image. */
    private static Version imageVersion(String image) {
        ImageReference reference = ImageReference.parse(image);
        return reference
                .tagVersion()
                .orElseThrow(() -> ProblemException.badRequest(
                        "image",
                        reference.tag() == null
                                ? "has no tag naming a version; give version as well"
                                : "its tag '" + reference.tag() + "' is not a version; give version as well"));
    }

    /**
     * The canary instance ids of the last {@code k} releases of {@code channel} registered before {@code beforeId}
     * (all, when null), most recent first: rotation keeps them out of the next draw. Releases of other channels drew
     * from other instances, so they do not count.
     */
    private List<Set<String>> recentCanaries(int k, String channel, Long beforeId) {
        List<Set<String>> recent = new ArrayList<>();
        boolean reached = beforeId == null;
        for (ReleaseEntity release : ReleaseEntity.newestFirst()) {
            if (!reached) {
                reached = release.id.equals(beforeId);
                continue;
            }
            if (!release.channel.equals(channel)) {
                continue;
            }
            if (recent.size() == k) {
                break;
            }
            Set<String> ids = new java.util.LinkedHashSet<>();
            readSelections(release.canaries).forEach(s -> ids.addAll(s.instanceIds()));
            recent.add(ids);
        }
        return recent;
    }

    private RegisteredRelease read(ReleaseEntity entity) {
        try {
            Release release = new Release(
                    Version.parse(entity.version),
                    entity.image,
                    entity.channel,
                    entity.createdAt,
                    json.readValue(entity.commits, STRINGS),
                    entity.expedite,
                    entity.ignoreWindows,
                    entity.ignoreWindowsReason);
            RingPolicy policy = policies.read(entity.policy).parse().policy();
            RingAssignment assignment = new RingAssignment(
                    json.readValue(entity.assignment, RING_BY_INSTANCE), readSelections(entity.canaries));
            return new RegisteredRelease(entity, release, policy, assignment);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored release " + entity.version + " is unreadable", e);
        }
    }

    private List<CanarySelection> readSelections(String text) {
        try {
            return json.readValue(text, SELECTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored canary selection is unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
