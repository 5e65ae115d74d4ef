package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.domain.window.WindowInterval;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A time in which no upgrade starts, for everyone, one reef or one tenant. An upgrade already running when a freeze
 * begins is left to finish: stopping it half-way would be worse than letting it complete.
 *
 * @param target the reef or tenant name; ignored for {@link Scope#GLOBAL}
 */
public record Freeze(String id, Scope scope, String target, Period period, String reason) {

    public enum Scope {
        GLOBAL,
        REEF,
        TENANT
    }

    /** When a freeze holds. */
    public sealed interface Period {

        /** The interval of this period that covers {@code instant}, if any. */
        Optional<WindowInterval> covering(Instant instant);
    }

    /** A single stretch of time, {@code [start, end)}: a holiday, a big customer event. */
    public record OneOff(Instant start, Instant end) implements Period {
        public OneOff {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("freeze end " + end + " is not after its start " + start);
            }
        }

        @Override
        public Optional<WindowInterval> covering(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end)
                    ? Optional.of(new WindowInterval(start, end))
                    : Optional.empty();
        }
    }

    /**
     * A weekly recurring freeze, written like a maintenance window: {@code Sat,Sun 00:00-24:00 Europe/London} freezes
     * every weekend (touching days merge into one stretch).
     */
    public record Weekly(MaintenanceWindow recurrence) implements Period {
        @Override
        public Optional<WindowInterval> covering(Instant instant) {
            return recurrence.nextOpening(instant).filter(i -> i.contains(instant));
        }
    }

    public Freeze {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        if (scope != Scope.GLOBAL && (target == null || target.isBlank())) {
            throw new IllegalArgumentException("a " + scope + " freeze needs a target");
        }
    }

    public boolean appliesTo(Instance instance) {
        return switch (scope) {
            case GLOBAL -> true;
            case REEF -> target.equals(instance.reef());
            case TENANT -> target.equals(instance.tenant());
        };
    }

    /** Whether this freeze keeps an upgrade of {@code instance} from starting at {@code instant}. */
    public boolean covers(Instance instance, Instant instant) {
        return appliesTo(instance) && period.covering(instant).isPresent();
    }

    /** When the stretch of this freeze covering {@code instant} ends; empty when it does not cover it. */
    public Optional<Instant> nextEnd(Instance instance, Instant instant) {
        return appliesTo(instance) ? period.covering(instant).map(WindowInterval::end) : Optional.empty();
    }

    public String describe() {
        String where = switch (scope) {
            case GLOBAL -> "global";
            case REEF -> "reef " + target;
            case TENANT -> "tenant " + target;
        };
        return "freeze '" + id + "' (" + where + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")";
    }
}
