package io.unwind.app.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.unwind.store.JournalOutageLog;
import java.sql.SQLException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * What the connection pool (HikariCP) and Quartz's job store say when the journal's database goes away, said once by
 * Unwind instead. A PostgreSQL restart of two seconds made them write a dozen WARN and ERROR lines with stack traces (a
 * connection "marked as broken", "Couldn't rollback jdbc connection", "ClusterManager: Error managing cluster",
 * "MisfireHandler: Error handling misfires", "An error occurred while firing triggers"...), all about the one outage
 * that {@link JournalOutageLog} already reports in one line and whose end it reports in another. Their words and stack
 * traces go to DEBUG ({@code UNWIND_LOG_LEVEL=DEBUG} shows them, under the logger {@value #DEBUG_LOGGER}); the running
 * keepers' outage logs hear of the failure, so that the first one is said at WARN without a stack trace.
 *
 * <p>Only their WARN and ERROR events that carry an {@link SQLException} (or, for the pool, a connection that failed
 * its validation) are taken; everything else they say is left as it is.
 */
final class LibraryDatabaseLog extends TurboFilter {
    static final String DEBUG_LOGGER = "io.unwind.journal.library";
    private static final org.slf4j.Logger debug = LoggerFactory.getLogger(DEBUG_LOGGER);
    private static final LibraryDatabaseLog INSTANCE = new LibraryDatabaseLog();
    /** Quartz's job store logs under its class's name: ours, a subclass of its JobStoreTX. */
    private static final String JOB_STORE = ClusterTickScheduler.PromptRecoveryJobStore.class.getName();

    private final CopyOnWriteArrayList<JournalOutageLog> outages = new CopyOnWriteArrayList<>();

    private LibraryDatabaseLog() {}

    /**
     * Routes the libraries' database failures to {@code outage} until the returned handle is closed; installs the
     * filter in logback the first time.
     */
    static AutoCloseable reportTo(JournalOutageLog outage) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            synchronized (INSTANCE) {
                if (!ctx.getTurboFilterList().contains(INSTANCE)) {
                    INSTANCE.setName("unwind-library-database-log");
                    INSTANCE.start();
                    ctx.addTurboFilter(INSTANCE);
                }
            }
        }
        INSTANCE.outages.add(outage);
        return () -> INSTANCE.outages.remove(outage);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || format == null || !level.isGreaterOrEqual(Level.WARN) || outages.isEmpty())
            return FilterReply.NEUTRAL;
        String name = logger.getName();
        boolean pool = name.startsWith("com.zaxxer.hikari.");
        if (!pool && !name.startsWith("org.quartz.") && !name.equals(JOB_STORE)) return FilterReply.NEUTRAL;
        Throwable cause =
                t == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable x
                        ? x
                        : t;
        boolean sql = hasSqlException(cause);
        // HikariCP's "Failed to validate connection ... (This connection has been closed.)" carries no exception: the
        // pool drops that connection and opens another, which is the outage's business, not a second one.
        boolean validation = pool && format.startsWith("{} - Failed to validate connection");
        if (!sql && !validation) return FilterReply.NEUTRAL;
        String words = MessageFormatter.arrayFormat(format, params).getMessage();
        debug.debug("{} {}: {}", level, name, words, cause);
        if (sql) {
            for (JournalOutageLog o : outages) o.failed(cause);
        }
        return FilterReply.DENY;
    }

    private static boolean hasSqlException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException) return true;
        }
        return false;
    }
}
