package io.unwind.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator is told when the journal's database fails, in a few plain lines however long it lasts: one line
 * when ticks or journal writes start failing on it (that the keeper holds, and what to do if the disk is full), a
 * reminder at most every {@code repeatEvery} with the count of failures, and one INFO with the outage's length when a
 * tick gets through again. A transaction is never signed before it is journaled, so while the journal cannot be written
 * the keeper sends nothing; it needs no restart when the database comes back (the connection pool opens new
 * connections).
 *
 * <p>Thread-safe: in a cluster, partitions tick on several threads.
 */
public final class JournalOutageLog {
    private static final Logger log = LoggerFactory.getLogger(JournalOutageLog.class);
    /** PostgreSQL's SQLSTATE for "disk full". */
    private static final String PG_DISK_FULL = "53100";

    private final String url;
    private final Clock clock;
    private final Duration repeatEvery;
    private Instant since;
    private Instant lastSaid;
    private String reason;
    private boolean diskFull;
    private long failures;

    public JournalOutageLog(String url, Clock clock, Duration repeatEvery) {
        this.url = url;
        this.clock = clock;
        this.repeatEvery = repeatEvery;
    }

    /**
     * A tick, or a journal write within one, failed with {@code e}. If the journal's database is the cause, it is
     * logged as an outage (grouped) and true is returned; otherwise nothing is said and the caller reports {@code e}
     * itself.
     */
    public synchronized boolean failed(Throwable e) {
        Optional<String> why = journalFailure(e);
        if (why.isEmpty()) return false;
        Instant now = clock.instant();
        boolean full = isDiskFull(e);
        failures++;
        reason = why.get();
        if (since == null) {
            since = now;
            lastSaid = now;
            diskFull = full;
            if (full) {
                log.error(
                        "journal database {} cannot be written, its disk is full: {}; holding: nothing is signed or sent "
                                + "that cannot be journaled first. Free space on the disk that holds the journal (or "
                                + "move it to a bigger one); the keeper resumes by itself once a write succeeds",
                        url,
                        reason);
            } else {
                log.warn(
                        "journal database {} failing: {}; holding: nothing is signed or sent until it answers, and the "
                                + "keeper resumes by itself when it does",
                        url,
                        reason);
            }
            return true;
        }
        if (full && !diskFull) {
            diskFull = true;
            log.error(
                    "journal database {}: its disk is full: {}; free space on the disk that holds the journal",
                    url,
                    reason);
        }
        if (Duration.between(lastSaid, now).compareTo(repeatEvery) >= 0) {
            lastSaid = now;
            log.warn(
                    "journal database {} still failing after {} s: {}; {} failure(s) so far; holding",
                    url,
                    Duration.between(since, now).toSeconds(),
                    reason,
                    failures);
        }
        return true;
    }

    /** A tick got through without an error, so the journal answered: if it was failing, it is back. */
    public synchronized void tickWorked() {
        if (since == null) return;
        log.info(
                "journal database {} is back after {} s ({}; {} failure(s) meanwhile)",
                url,
                Duration.between(since, clock.instant()).toSeconds(),
                reason,
                failures);
        since = null;
        diskFull = false;
        failures = 0;
    }

    /** Whether {@code e} is the journal's database failing while an outage is already being reported. */
    public synchronized boolean explains(Throwable e) {
        return since != null && journalFailure(e).isPresent();
    }

    /** Whether the journal's database is failing now. */
    public synchronized boolean failing() {
        return since != null;
    }

    /** The journal's failure in {@code e}'s causes, in words, if the journal is what failed. */
    static Optional<String> journalFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JournalException || c instanceof DatabaseException || c instanceof SQLException) {
                return Optional.of(inWords(c));
            }
        }
        return Optional.empty();
    }

    /** Whether the database said it cannot write for want of space (ENOSPC, EFBIG, PostgreSQL's disk_full). */
    static boolean isDiskFull(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && PG_DISK_FULL.equals(s.getSQLState())) return true;
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device")
                    || m.contains("file too large")
                    || m.contains("disk full")
                    || m.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the message: H2 and PostgreSQL add the statement and a stack of details after it. */
    private static String inWords(Throwable c) {
        String m = c.getMessage();
        if (m == null || m.isBlank()) return c.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
