package io.reefline.rollout.upgrade;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.reefline.rollout.upgrade.reconcile.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Only one replica of rollout-service upgrades anything: the one holding a PostgreSQL session-level advisory lock. The
 * lock lives as long as the database session that took it, so when the acting replica dies (process, host or network)
 * its session ends, the lock is released and another replica takes it on its next tick.
 *
 * <p>Taking the lock starts a new term (a number in {@code upgrade_leader}); every write of the scheduler checks in its
 * transaction that its term is still the current one, so a replica that lost the lock without noticing yet (a paused
 * process, a network partition) cannot move an upgrade after another replica took over.
 */
@ApplicationScoped
public class UpgradeLeadership implements Leadership {

    private static final Logger LOG = Logger.getLogger(UpgradeLeadership.class);

    /** Hands out a new database connection; the lock lives on it. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;
    private final long key;
    private Connection session;
    private long term;

    @Inject
    UpgradeLeadership(AgroalDataSource dataSource, UpgradeSettings settings) {
        this(dataSource::getConnection, settings.leaderLock());
    }

    /** For a second contender in tests: another replica is another session asking for the same key. */
    public UpgradeLeadership(Connections connections, long key) {
        this.connections = connections;
        this.key = key;
    }

    /** The current term when this replica holds the lock, taking it (and a new term) if it is free. Never throws. */
    @Override
    public synchronized OptionalLong acquire() {
        return holdsLock() ? OptionalLong.of(term) : OptionalLong.empty();
    }

    /** The term this replica leads in; meaningful only while {@link #holds()}. */
    public synchronized long term() {
        return term;
    }

    private boolean holdsLock() {
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
                        term = newTerm(candidate);
                        session = candidate;
                        LOG.infof("This replica now runs the upgrade scheduler (term %d)", term);
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

    /** Starts a new term on the session that holds the lock; the old term's writes fail from now on. */
    private static long newTerm(Connection session) throws SQLException {
        try (PreparedStatement next = session.prepareStatement(
                "update upgrade_leader set term = term + 1, holder = ?, taken_at = now() where id = 1 returning term")) {
            next.setString(1, holderName());
            try (ResultSet answer = next.executeQuery()) {
                if (!answer.next()) {
                    throw new SQLException("upgrade_leader has no row; is the schema migrated?");
                }
                return answer.getLong(1);
            }
        }
    }

    private static String holderName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        return host + "/" + ProcessHandle.current().pid();
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

    @Override
    public void lost() {
        LOG.warn("This replica's upgrade term ended under it; giving the lock up");
        release();
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
