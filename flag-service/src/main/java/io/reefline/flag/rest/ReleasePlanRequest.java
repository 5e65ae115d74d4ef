package io.reefline.flag.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/**
 * A release plan as operators write it. Durations are ISO-8601 ({@code PT4H}, {@code P2D}); {@code startAt} is an
 * ISO-8601 instant (default: now). {@code release} and {@code ring} scope the andon gate the plan asks before each
 * step (both absent: the global gate). Absent fields take the defaults below.
 *
 * @param variant the variant tenants get as the plan includes them (the others get the environment's default)
 * @param staffTenants tenants that get it in the staff phase
 * @param staffRing whether contexts with {@code ring = staff} get it from the staff phase on (default true)
 * @param staffFor how long the staff phase lasts (default {@code P1D})
 * @param earlyAdopters tenants that opted in and get it from the early-adopter phase on
 * @param earlyAdoptersFor how long the early-adopter phase lasts (default {@code P2D})
 * @param rampFrom the percentage of the remaining tenants the ramp starts with (1 to 99, default 10)
 * @param rampSteps how many equal steps the ramp takes to reach 100% (1 to 100, default 5)
 * @param rampPeriod how long the whole ramp takes (default {@code P5D})
 * @param excludedTenants tenants that never get it, in any phase
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleasePlanRequest(
        @NotBlank String variant,
        String release,
        String ring,
        String startAt,
        List<String> staffTenants,
        Boolean staffRing,
        String staffFor,
        List<String> earlyAdopters,
        String earlyAdoptersFor,
        Integer rampFrom,
        Integer rampSteps,
        String rampPeriod,
        List<String> excludedTenants) {

    /** The same request with every default filled in, as it is stored. */
    public ReleasePlanRequest withDefaults() {
        return new ReleasePlanRequest(
                variant.strip(),
                blankToNull(release),
                blankToNull(ring),
                blankToNull(startAt),
                staffTenants == null ? List.of() : staffTenants,
                staffRing == null || staffRing,
                staffFor == null ? "P1D" : staffFor,
                earlyAdopters == null ? List.of() : earlyAdopters,
                earlyAdoptersFor == null ? "P2D" : earlyAdoptersFor,
                rampFrom == null ? 10 : rampFrom,
                rampSteps == null ? 5 : rampSteps,
                rampPeriod == null ? "P5D" : rampPeriod,
                excludedTenants == null ? List.of() : excludedTenants);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
