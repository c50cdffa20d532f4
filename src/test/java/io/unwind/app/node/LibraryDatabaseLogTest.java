package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.store.JournalOutageLog;
import io.unwind.testing.OperatorLog;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL restart of two seconds as the connection pool and Quartz's job store logged it, line by line (from a
 * cluster node's log): the operator sees one WARN line without a stack trace, and one INFO line when the journal
 * answers again; the libraries' own words and stack traces are at DEBUG.
 */
@Tag("pure")
class LibraryDatabaseLogTest {
    private static final String URL = "jdbc:postgresql://db.internal:5432/unwind";

    @Test
    @SuppressWarnings("try") // routed is a resource for its scope: the node's lifetime
    void aShortDatabaseRestartIsOneWarnLineWithoutAStackTrace() throws Exception {
        JournalOutageLog outage = new JournalOutageLog(URL, Clock.systemUTC(), Duration.ofSeconds(60));
        Logger proxy = LoggerFactory.getLogger("com.zaxxer.hikari.pool.ProxyConnection");
        Logger poolBase = LoggerFactory.getLogger("com.zaxxer.hikari.pool.PoolBase");
        Logger rowLock = LoggerFactory.getLogger("org.quartz.impl.jdbcjobstore.StdRowLockSemaphore");
        // Quartz's job store logs under the name of its class: Unwind's subclass of JobStoreTX.
        Logger jobStore = LoggerFactory.getLogger(ClusterTickScheduler.PromptRecoveryJobStore.class);
        Logger errors = LoggerFactory.getLogger("org.quartz.core.ErrorLogger");
        SQLException terminated =
                new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        SQLException closed = new SQLException("Connection is closed");
        try (OperatorLog log = OperatorLog.capture();
                AutoCloseable routed = LibraryDatabaseLog.reportTo(outage)) {
            proxy.warn(
                    "{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})",
                    "journal",
                    "org.postgresql.jdbc.PgConnection@5f31bf3e",
                    "57P01",
                    0,
                    terminated);
            rowLock.error("Couldn't rollback jdbc connection. " + closed.getMessage(), closed);
            poolBase.warn(
                    "{} - Failed to validate connection {} ({}). Possibly consider using a shorter maxLifetime value.",
                    "journal",
                    "org.postgresql.jdbc.PgConnection@cf67adb",
                    "This connection has been closed.");
            errors.error(
                    "An error occurred while firing triggers '[Trigger 'partitions.tick-1']'",
                    new RuntimeException("Failure obtaining db row lock: Connection is closed", closed));
            jobStore.error(
                    "ClusterManager: Error managing cluster: Failed to obtain DB connection from data source",
                    new RuntimeException(
                            "Failed to obtain DB connection",
                            new SQLTransientConnectionException(
                                    "journal - Connection is not available, request timed out after 5001ms")));
            // Not about the database: left as the library says it.
            jobStore.warn("This scheduler instance is still active but was recovered by another instance");
            outage.tickWorked(); // the next check-in writes its heartbeat

            assertThat(log.withStackTraces()).isEmpty();
            assertThat(log.messages())
                    .satisfiesExactly(
                            m -> assertThat(m)
                                    .startsWith("WARN JournalOutageLog - journal database " + URL + " failing: ")
                                    .contains("terminating connection due to administrator command")
                                    .contains("holding"),
                            m -> assertThat(m)
                                    .startsWith(
                                            "WARN ClusterTickScheduler$PromptRecoveryJobStore - This scheduler instance is still active"),
                            m -> assertThat(m)
                                    .startsWith("INFO JournalOutageLog - journal database " + URL + " is back after"));
        }
        // Detached with its node: the libraries speak for themselves again.
        try (OperatorLog log = OperatorLog.capture()) {
            rowLock.error("Couldn't rollback jdbc connection. " + closed.getMessage(), closed);
            assertThat(log.withStackTraces()).singleElement().asString().contains("Couldn't rollback");
        }
    }
}
