package io.reefline.flag.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.flag.ofrep.KeyBinding;
import io.reefline.flag.ofrep.SdkKeyHash;
import io.reefline.flag.persistence.FlagChangeCounter;
import io.reefline.flag.persistence.SdkKeyEntity;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * SDK keys for OFREP: random, shown once, stored as SHA-256 with a short prefix people can recognise. A key is bound
 * to one environment and evaluates only that environment's flags.
 */
@ApplicationScoped
public class SdkKeys {

    /** Marks Reefline SDK keys, so secret scanners and people recognise them. */
    public static final String KEY_PREFIX = "rfl_";

    private static final int PREFIX_SHOWN = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FlagService flags;
    private final FlagSnapshots snapshots;
    private final Clock clock;

    SdkKeys(FlagService flags, FlagSnapshots snapshots, Clock clock) {
        this.flags = flags;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** A new key and its stored record; the key is in the result only. */
    public record IssuedKey(String key, SdkKeyEntity stored) {}

    /**
     * Issues a key. It works on this replica as soon as this returns (its transaction has committed by then) and on
     * every other replica after its next poll of the change counter.
     */
    public IssuedKey issue(String environmentKey, String actor) {
        IssuedKey issued = QuarkusTransaction.requiringNew().call(() -> store(environmentKey, actor));
        snapshots.keyChanged(issued.stored().hash, new KeyBinding(environmentKey, false));
        return issued;
    }

    /** Revokes a key: refused here as soon as this returns, and by every other replica after its next poll. */
    public SdkKeyEntity revoke(long id) {
        SdkKeyEntity revoked = QuarkusTransaction.requiringNew().call(() -> markRevoked(id));
        snapshots.keyChanged(revoked.hash, new KeyBinding(revoked.environmentKey, true));
        return revoked;
    }

    private IssuedKey store(String environmentKey, String actor) {
        if (environmentKey == null || environmentKey.isBlank()) {
            throw ProblemException.badRequest("environment", "must name the environment the key evaluates");
        }
        flags.environment(environmentKey);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        SdkKeyEntity stored = new SdkKeyEntity();
        stored.environmentKey = environmentKey;
        stored.prefix = key.substring(0, PREFIX_SHOWN);
        stored.hash = hash(key);
        stored.createdBy = actor;
        stored.createdAt = clock.instant();
        stored.persist();
        FlagChangeCounter.bump();
        return new IssuedKey(key, stored);
    }

    private SdkKeyEntity markRevoked(long id) {
        SdkKeyEntity stored = SdkKeyEntity.findById(id);
        if (stored == null) {
            throw ProblemException.notFound("SDK key", id);
        }
        if (stored.revokedAt == null) {
            stored.revokedAt = clock.instant();
            FlagChangeCounter.bump();
        }
        return stored;
    }

    public static String hash(String key) {
        return SdkKeyHash.of(key);
    }
}
