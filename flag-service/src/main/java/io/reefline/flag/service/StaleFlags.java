package io.reefline.flag.service;

import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Flags that cost more than they give (toggle overhead): the same for everyone in every environment for longer than
 * a number of days, or past their expected removal date. Their code paths are ready to contract.
 */
@ApplicationScoped
public class StaleFlags {

    /** A stale flag and why. */
    public record StaleFlag(
            String key,
            String name,
            String owner,
            LocalDate expectedRemoval,
            Instant uniformSince,
            List<String> reasons) {}

    private final Clock clock;

    StaleFlags(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public List<StaleFlag> report(int days) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(Duration.ofDays(days));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<StaleFlag> stale = new ArrayList<>();
        for (FlagEntity flag : FlagEntity.allByKey()) {
            List<FlagEnvironmentEntity> configs = FlagEnvironmentEntity.ofFlag(flag.key);
            Instant uniformSince = uniformEverywhereSince(configs);
            List<String> reasons = new ArrayList<>();
            if (uniformSince != null && uniformSince.isBefore(cutoff)) {
                reasons.add("the same for everyone in every environment for more than " + days + " days");
            }
            if (flag.expectedRemoval != null && flag.expectedRemoval.isBefore(today)) {
                reasons.add("past its expected removal date " + flag.expectedRemoval);
            }
            if (!reasons.isEmpty()) {
                stale.add(new StaleFlag(flag.key, flag.name, flag.owner, flag.expectedRemoval, uniformSince, reasons));
            }
        }
        return stale;
    }

    /** The latest moment an environment became uniform, or null if any environment still splits its subjects. */
    private static Instant uniformEverywhereSince(List<FlagEnvironmentEntity> configs) {
        Instant latest = null;
        for (FlagEnvironmentEntity config : configs) {
            if (!config.uniform() || config.uniformSince == null) {
                return null;
            }
            latest = latest == null || config.uniformSince.isAfter(latest) ? config.uniformSince : latest;
        }
        return latest;
    }
}
