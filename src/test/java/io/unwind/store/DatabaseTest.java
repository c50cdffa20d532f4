package io.unwind.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class DatabaseTest {

    @Test
    void anUnreachableDatabaseIsNamedByItsUrlWithoutThePassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and closed: nothing listens there
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/unwind";
        assertThatThrownBy(() -> Database.open(url, "keeper", "s3cret-Pa55"))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("keeper")
                .hasMessageNotContaining("s3cret-Pa55");
    }

    @Test
    void aPasswordInTheUrlIsBlankedInErrors() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/unwind?user=keeper&password=url-Secret-9";
        assertThatThrownBy(() -> Database.open(url, null, null))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("127.0.0.1:" + port + "/unwind?user=keeper&password=***")
                .hasMessageNotContaining("url-Secret-9");
        assertThat(Database.redact("jdbc:postgresql://keeper:pw123@db:5432/unwind"))
                .isEqualTo("jdbc:postgresql://keeper:***@db:5432/unwind");
    }

    @Test
    void anEmbeddedFileDatabaseWritesEachCommitBeforeItReturnsUnlessTheUrlSaysOtherwise() {
        // CrashKillTest shows why: without it a killed keeper lost the nonce it had journaled and broadcast.
        assertThat(Database.durable("jdbc:h2:file:/srv/unwind/data/journal;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/srv/unwind/data/journal;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        assertThat(Database.durable("jdbc:h2:./data/journal")).isEqualTo("jdbc:h2:./data/journal;WRITE_DELAY=0");
        assertThat(Database.durable("jdbc:h2:file:/j;write_delay=100")).isEqualTo("jdbc:h2:file:/j;write_delay=100");
        assertThat(Database.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.durable("jdbc:h2:tcp://db/unwind")).isEqualTo("jdbc:h2:tcp://db/unwind");
        assertThat(Database.durable("jdbc:postgresql://db:5432/unwind")).isEqualTo("jdbc:postgresql://db:5432/unwind");
    }

    @Test
    void anEmbeddedFileDatabaseKeepsTheJournalAcrossRestartsAndMigratesOnce(@TempDir Path dir) throws Exception {
        String url = Database.embeddedUrl(dir);
        long id;
        try (Database db = Database.open(url, "sa", "")) {
            Journal j = new Journal(db.dataSource(), Clock.systemUTC());
            id = j.insert(JournalTest.newTx("kept", JournalTest.SENDER, JournalTest.VAULT_A))
                    .tx()
                    .id();
        }
        try (Database db = Database.open(url, "sa", "")) {
            Journal j = new Journal(db.dataSource(), Clock.systemUTC());
            assertThat(j.find(id)).map(TxRecord::idempotencyKey).isEqualTo(Optional.of("kept"));
            try (Connection c = db.dataSource().getConnection();
                    ResultSet rs = c.createStatement()
                            .executeQuery(
                                    "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
                java.util.List<String> versions = new java.util.ArrayList<>();
                while (rs.next()) versions.add(rs.getString(1));
                assertThat(versions)
                        .as("each migration applied once")
                        .containsExactly("1", "2", "4", "5", "6", "7", "8", "9", "10");
            }
        }
    }

    @Test
    void theSchemaAndJournalAlsoWorkOnH2WithoutItsPostgresMode() {
        try (Database db =
                Database.open("jdbc:h2:mem:plain-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            Journal j = new Journal(db.dataSource(), Clock.systemUTC());
            TxRecord tx = ((InsertResult.Created)
                            j.insert(JournalTest.newTx("plain", JournalTest.SENDER, JournalTest.VAULT_A)))
                    .tx();
            TxDetail started = j.start(
                    tx.id(),
                    3,
                    n -> new SignedAttempt(
                            AttemptPurpose.ACTION,
                            io.unwind.domain.chain.TxHash.of("0x" + "77".repeat(32)),
                            "0x02",
                            JournalTest.FEES,
                            21_000));
            assertThat(started.tx().nonce()).hasValue(3);
            assertThat(j.insert(JournalTest.newTx("plain", JournalTest.SENDER, JournalTest.VAULT_B)))
                    .isInstanceOf(InsertResult.DuplicateKey.class);
            assertThat(j.insert(JournalTest.newTx("other", JournalTest.SENDER, JournalTest.VAULT_A)))
                    .isInstanceOf(InsertResult.VaultBusy.class);
            j.markSent(tx.id());
            j.markMined(
                    tx.id(),
                    started.attempts().get(0).id(),
                    5,
                    io.unwind.domain.chain.TxHash.of("0x" + "88".repeat(32)),
                    true,
                    21_000,
                    io.unwind.domain.money.Wei.gwei(1));
            assertThat(j.list(TxQuery.latest(5)))
                    .singleElement()
                    .satisfies(t -> assertThat(t.state()).isEqualTo(io.unwind.domain.tx.TxState.CONFIRMED));
        }
    }
}
