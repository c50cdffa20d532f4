package io.unwind.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride;
import io.unwind.testing.OperatorLog;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class JournalOutageLogTest {
    private static final String URL = "jdbc:h2:file:/var/lib/unwind/journal";

    private static JournalException journalFailure(Throwable cause) {
        return new JournalException("journaling key failed: " + cause.getMessage(), cause);
    }

    @Test
    void aFullDiskIsOneErrorThatSaysWhatToDoAndOneLineWhenItIsBack() {
        var clock = new MutableClock();
        var outage = new JournalOutageLog(URL, clock, Duration.ofSeconds(60));
        var full = journalFailure(new SQLException("General error", "HY000", 50000, new IOException("File too large")));
        try (OperatorLog log = OperatorLog.capture()) {
            assertThat(outage.failed(full)).isTrue();
            for (int i = 0; i < 30; i++) {
                clock.plus(Duration.ofSeconds(1));
                assertThat(outage.failed(full)).isTrue();
            }
            clock.plus(Duration.ofSeconds(30));
            outage.failed(full); // a minute on: one reminder
            outage.tickWorked();
            outage.tickWorked();
            assertThat(log.messages())
                    .hasSize(3)
                    .satisfiesExactly(
                            m -> assertThat(m)
                                    .startsWith("ERROR")
                                    .contains(URL + " cannot be written, its disk is full")
                                    .contains("nothing is signed or sent that cannot be journaled first")
                                    .contains("Free space on the disk that holds the journal"),
                            m -> assertThat(m)
                                    .startsWith("WARN")
                                    .contains("still failing after 60 s")
                                    .contains("32 failure(s)"),
                            m -> assertThat(m).startsWith("INFO").contains(URL + " is back after 60 s"));
        }
        assertThat(outage.failing()).isFalse();
    }

    @Test
    void aFailureThatIsNotTheJournalsIsLeftToTheCaller() {
        var outage = new JournalOutageLog(URL, new MutableClock(), Duration.ofSeconds(60));
        assertThat(outage.failed(new IllegalStateException("the RPC node is down")))
                .isFalse();
        assertThat(outage.failing()).isFalse();
        assertThat(JournalOutageLog.isDiskFull(journalFailure(new SQLException("could not extend file", "53100"))))
                .as("PostgreSQL's disk_full")
                .isTrue();
        assertThat(JournalOutageLog.isDiskFull(journalFailure(new SQLException("Connection refused", "08001"))))
                .isFalse();
    }

    @Test
    void aConnectionToAnEmbeddedDatabaseThatClosedItselfIsThrownAway() {
        var rule = new Database.EvictBrokenEmbedded();
        assertThat(rule.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        assertThat(rule.adjudicate(new SQLException(
                        "General error: \"org.h2.mvstore.MVStoreException: Writing to ... failed\"", "HY000", 50000)))
                .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        assertThat(rule.adjudicate(new SQLException("duplicate key", "23505", 23505)))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void plus(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
