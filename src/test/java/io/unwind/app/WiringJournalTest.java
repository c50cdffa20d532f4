package io.unwind.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import io.unwind.app.config.UnwindConfig;
import io.unwind.testing.TestPostgres;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A journal on PostgreSQL that cannot authenticate for want of a password names the setting at fault, not only
 * PostgreSQL's "SCRAM-based authentication" error.
 */
@Tag("postgres")
class WiringJournalTest {
    @Test
    void aMissingPasswordNamesTheSettingOrTheVariable() {
        try (TestPostgres pg = TestPostgres.create()) {
            // No variable named: the database's refusal says which setting to add.
            assertThatThrownBy(() -> Wiring.openJournal(
                            new UnwindConfig.Journal(pg.url(), Optional.of(pg.user()), Optional.empty())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("journal.passwordEnv: the journal's database asks for a password and the"
                            + " config gives none (")
                    .hasMessageContaining("passwordEnv: JOURNAL_PASSWORD");
            // A variable named but not set: named, before the database is asked.
            assertThatThrownBy(() -> Wiring.journalPassword(
                            new UnwindConfig.Journal(pg.url(), Optional.of(pg.user()), Optional.of("JOURNAL_PASSWORD")),
                            Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(
                            "journal.passwordEnv: the environment variable JOURNAL_PASSWORD is not set");
        }
    }
}
