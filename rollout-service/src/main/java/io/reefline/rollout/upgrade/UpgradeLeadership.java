package io.reefline.rollout.upgrade;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Only one replica of rollout-service upgrades anything: the one holding a PostgreSQL session-level advisory lock. The
 * lock lives as long as the database session that took it, so when the acting replica dies (process, host or network)
 * its session ends, the lock is released and another replica takes it on its next tick.
 */
@ApplicationScoped
public class UpgradeLeadership {

    private static final Logger LOG = Logger.getLogger(UpgradeLeadership.class);

    /** Hands out a new database connection; the lock lives on it. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;
    private final long key;
    private Connection session;

    @Inject
    UpgradeLeadership(AgroalDataSource dataSource, UpgradeSettings settings) {
        this(dataSource::getConnection, settings.leaderLock());
    }

    /** For a second contender in tests: another replica is another session asking for the same key. */
    public UpgradeLeadership(Connections connections, long key) {
        this.connections = connections;
        this.key = key;
    }

    /** True when this replica holds the lock, taking it if it is free. Never throws: no database means no leader. */
    public synchronized boolean acquire() {
        if (session != null) {
            try {
                if (session.isValid(2)) {
                    return true;
                }
            } catch (SQLException e) {
                // fall through: the session is gone and the lock with it
            }
            LOG.warn("Lost the database session holding the upgrade lock; trying to take it again");
            closeQuietly(session);
            session = null;
        }
        Connection candidate = null;
        try {
            candidate = connections.open();
            try (PreparedStatement lock = candidate.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, key);
                try (ResultSet answer = lock.executeQuery()) {
                    if (answer.next() && answer.getBoolean(1)) {
                        session = candidate;
                        LOG.info("This replica now runs the upgrade scheduler");
                        return true;
                    }
                }
            }
            closeQuietly(candidate);
            return false;
        } catch (SQLException e) {
            LOG.warnf("Cannot ask for the upgrade lock: %s", e.getMessage());
            closeQuietly(candidate);
            return false;
        }
    }

    public synchronized boolean holds() {
        return session != null;
    }

    /** Gives the lock up (on shutdown, or when a test stops this replica), so another replica takes over at once. */
    public synchronized void release() {
        if (session == null) {
            return;
        }
        try (PreparedStatement unlock = session.prepareStatement("select pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.executeQuery().close();
        } catch (SQLException e) {
            LOG.debugf("Unlock failed (the session will end anyway): %s", e.getMessage());
        }
        closeQuietly(session);
        session = null;
        LOG.info("This replica no longer runs the upgrade scheduler");
    }

    void onShutdown(@Observes ShutdownEvent event) {
        release();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }
}
