package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The version of everything evaluation depends on. Every change bumps it in its own transaction, so a replica that
 * sees a new value knows a committed change is waiting to be loaded.
 */
public final class FlagChangeCounter {

    private FlagChangeCounter() {}

    public static void bump() {
        Panache.getEntityManager()
                .createNativeQuery("update flag_change set version = version + 1 where id = 1")
                .executeUpdate();
    }

    public static long current() {
        return ((Number) Panache.getEntityManager()
                        .createNativeQuery("select version from flag_change where id = 1")
                        .getSingleResult())
                .longValue();
    }
}
