package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.Receipt;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.VaultOutcome;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import io.unwind.testing.OperatorLog;
import io.unwind.testing.PrivatePostgres;
import io.unwind.testing.TestPostgres;
import java.math.BigInteger;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal on PostgreSQL fails while the keeper protects a vault through a price crash. The keeper reaches its
 * database through a TCP relay ({@link TcpCut}) that the test takes down (the server is gone: every connection closed,
 * new ones refused) and brings back on the same port, as when PostgreSQL is restarted; or the test kills the keeper's
 * connection in the middle of a journal write ({@code pg_terminate_backend}). Whatever happens, the keeper must send
 * nothing it has not journaled, nothing twice, lose no journal row, say in one line that it is holding, and save the
 * vault by itself once the database answers again.
 *
 * <p>The server is the one {@code scripts/test-postgres.sh} runs; each test has its own database, so that server is
 * never restarted (other work may be using it). The test that restarts a server starts one of its own
 * ({@link PrivatePostgres}).
 */
@Tag("chain")
@Tag("postgres")
class JournalPostgresFaultsTest extends OneVaultWorld {
    /** The password is read from the environment, as an operator's config does with {@code passwordEnv}. */
    private static final String PASSWORD_ENV = "UNWIND_TEST_POSTGRES_PASSWORD";

    /** The keeper's config with its journal in {@code db}, reached through {@code relay}. */
    private UnwindConfig onPostgres(TestPostgres db, TcpCut relay) {
        return onPostgres(db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + relay.port() + "/"), db.user());
    }

    private UnwindConfig onPostgres(String url, String user) {
        UnwindConfig c = g.config(List.of(vault));
        return new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                new UnwindConfig.Journal(url, Optional.of(user), Optional.of(PASSWORD_ENV)),
                c.scheduler(),
                c.http());
    }

    /** A keeper on the test's database, stopped before the database is dropped. */
    private record Keeper(Gauntlet.Running running) implements AutoCloseable {
        @Override
        public void close() {
            running.node.close();
        }
    }

    private static TcpCut relayTo(TestPostgres db) {
        URI server = URI.create(db.url().substring("jdbc:".length()));
        return new TcpCut(URI.create("tcp://" + server.getHost() + ":" + server.getPort()));
    }

    @Test
    void aDatabaseOutageDuringACrashHoldsSaysSoOnceAndTheVaultIsSavedOnceWhenItIsBack() {
        try (TestPostgres db = TestPostgres.create();
                TcpCut relay = relayTo(db);
                Keeper started = new Keeper(g.start(onPostgres(db, relay)))) {
            Gauntlet.Running k = started.running();
            k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
            BigInteger nonceBefore = g.keeperNonce();
            try (OperatorLog log = OperatorLog.capture()) {
                relay.down(); // PostgreSQL is gone: open connections closed, new ones refused
                long from = crash();
                Gauntlet.await(
                        "the keeper to say it is holding for the journal",
                        () -> log.messages().stream().anyMatch(JournalPostgresFaultsTest::holdingLine));
                int ticks = k.ticks.size();
                for (int i = 0; i < 4; i++) { // the price keeps falling while the journal is down
                    g.f.chain.mine(1);
                    Gauntlet.pause(400);
                }
                assertThat(g.proxy.broadcasts())
                        .as("nothing is signed or sent while it cannot be journaled")
                        .isEmpty();
                assertThat(g.deleverages(vault, from)).isEmpty();
                assertThat(g.keeperNonce()).isEqualTo(nonceBefore);
                assertThat(k.ticks.size())
                        .as("no tick completes without the journal")
                        .isEqualTo(ticks);

                relay.up();
                g.mineUntil(() -> "the vault saved; " + k.describe(vault), () -> !g.overTrigger(vault));
                settle(k);
                savedOnceAndJournaledAsSent(k, from, nonceBefore);
                assertThat(log.messages())
                        .as(String.join("\n", log.lines()))
                        .filteredOn(JournalPostgresFaultsTest::holdingLine)
                        .hasSize(1);
                assertThat(log.messages())
                        .as(String.join("\n", log.lines()))
                        .filteredOn(
                                m -> m.startsWith("INFO") && m.matches(".*journal database .* is back after \\d+ s.*"))
                        .hasSize(1);
                assertThat(String.join("\n", log.lines()))
                        .as("the database's password")
                        .doesNotContain(db.password());
            }
        }
    }

    /**
     * The same crash, but the PostgreSQL server itself is stopped ({@code pg_ctl -m fast}, as an operator's restart
     * does) and started again after a few seconds: a server of the test's own, since the shared one may be in use.
     */
    @Test
    void aServerRestartedDuringACrashHoldsSaysSoOnceAndTheVaultIsSavedOnceWhenItIsBack() {
        try (PrivatePostgres pg = PrivatePostgres.start();
                Keeper started = new Keeper(g.start(onPostgres(pg.url(), pg.user())))) {
            Gauntlet.Running k = started.running();
            k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
            BigInteger nonceBefore = g.keeperNonce();
            try (OperatorLog log = OperatorLog.capture()) {
                pg.stop();
                long from = crash();
                Gauntlet.await(
                        "the keeper to say it is holding for the journal",
                        () -> log.messages().stream().anyMatch(JournalPostgresFaultsTest::holdingLine));
                int ticks = k.ticks.size();
                for (int i = 0; i < 4; i++) { // the price keeps falling while the server is down
                    g.f.chain.mine(1);
                    Gauntlet.pause(400);
                }
                assertThat(g.proxy.broadcasts())
                        .as("nothing is signed or sent while it cannot be journaled")
                        .isEmpty();
                assertThat(g.deleverages(vault, from)).isEmpty();
                assertThat(g.keeperNonce()).isEqualTo(nonceBefore);
                assertThat(k.ticks.size())
                        .as("no tick completes without the journal")
                        .isEqualTo(ticks);

                pg.up();
                long back = System.nanoTime();
                g.mineUntil(() -> "the vault saved; " + k.describe(vault), () -> !g.overTrigger(vault));
                System.out.printf(
                        "JournalPostgresFaultsTest: vault saved %d ms after PostgreSQL accepted connections again%n",
                        (System.nanoTime() - back) / 1_000_000);
                settle(k);
                savedOnceAndJournaledAsSent(k, from, nonceBefore);
                assertThat(log.messages())
                        .as(String.join("\n", log.lines()))
                        .filteredOn(JournalPostgresFaultsTest::holdingLine)
                        .hasSize(1);
                assertThat(log.messages())
                        .as(String.join("\n", log.lines()))
                        .filteredOn(
                                m -> m.startsWith("INFO") && m.matches(".*journal database .* is back after \\d+ s.*"))
                        .hasSize(1);
            }
        }
    }

    @Test
    void aTransactionMinedWhileTheDatabaseIsDownIsRecordedAsMinedWhenItIsBackAndNotSentAgain() {
        try (TestPostgres db = TestPostgres.create();
                TcpCut relay = relayTo(db);
                Keeper started = new Keeper(g.start(onPostgres(db, relay)))) {
            Gauntlet.Running k = started.running();
            k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
            BigInteger nonceBefore = g.keeperNonce();
            g.f.chain.setAutomine(false);
            long from = crashAndMine();
            Gauntlet.await(
                    "the action in the pool, journaled as sent",
                    () -> g.proxy.broadcasts().size() == 1
                            && k.journal().stream().anyMatch(t -> t.state() == TxState.UNCONFIRMED));
            relay.down();
            g.f.chain.mine(1); // the action is mined while the keeper cannot write that down
            assertThat(g.deleverages(vault, from)).hasSize(1);
            for (int i = 0; i < 3; i++) {
                g.f.chain.mine(1);
                Gauntlet.pause(400);
            }
            relay.up();
            g.mineUntil(
                    () -> "the journal to record the action as mined; " + k.describe(vault),
                    () -> k.journal().stream().allMatch(t -> t.state() == TxState.CONFIRMED));
            savedOnceAndJournaledAsSent(k, from, nonceBefore);
        }
    }

    /**
     * The keeper's database connection is killed while a journal write waits inside its transaction: the one that gives
     * the action its nonce and stores its signed bytes (INSERT INTO tx_attempt), or the one that records the broadcast
     * (UPDATE tx_attempt). A trigger holds that statement for a few seconds the first time it runs, and the test
     * terminates the backend running it. PostgreSQL rolls the whole transaction back: no half-written row.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INSERT", "UPDATE"})
    void aConnectionKilledInTheMiddleOfAJournalWriteLeavesNoHalfRowAndSendsNothingTwice(String statement)
            throws SQLException {
        try (TestPostgres db = TestPostgres.create();
                TcpCut relay = relayTo(db);
                Keeper started = new Keeper(g.start(onPostgres(db, relay)))) {
            Gauntlet.Running k = started.running();
            k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
            BigInteger nonceBefore = g.keeperNonce();
            try (Connection admin = DriverManager.getConnection(db.url(), db.user(), db.password());
                    Statement s = admin.createStatement()) {
                holdOnce(s, statement);
                long from = crash();
                int pid = awaitHeld(s);
                try (ResultSet r = s.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
                    assertThat(r.next() && r.getBoolean(1)).isTrue();
                }
                if (statement.equals("INSERT")) {
                    // Terminated before the signed bytes were committed: they were never broadcast.
                    assertThat(g.proxy.broadcasts()).isEmpty();
                }
                g.mineUntil(() -> "the vault saved; " + k.describe(vault), () -> !g.overTrigger(vault));
                settle(k);
                savedOnceAndJournaledAsSent(k, from, nonceBefore);
                assertThat(count(s, "SELECT count(*) FROM tx_attempt"))
                        .as("one signed attempt, none left half-written")
                        .isEqualTo(1);
                assertThat(count(
                                s,
                                "SELECT count(*) FROM tx WHERE nonce IS NOT NULL AND id NOT IN "
                                        + "(SELECT tx_id FROM tx_attempt)"))
                        .as("rows given a nonce without their signed bytes")
                        .isZero();
            }
        }
    }

    /**
     * Makes the first {@code statement} on tx_attempt wait in the database for 20 s (a sequence counts the firings).
     */
    private static void holdOnce(Statement s, String statement) throws SQLException {
        s.execute("CREATE SEQUENCE fault_firings");
        s.execute("""
                CREATE FUNCTION fault_hold() RETURNS trigger AS $$
                BEGIN
                  IF nextval('fault_firings') = 1 THEN PERFORM pg_sleep(20); END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        s.execute("CREATE TRIGGER fault_hold BEFORE " + statement
                + " ON tx_attempt FOR EACH ROW EXECUTE FUNCTION fault_hold()");
    }

    /** The backend of the keeper's connection held in the trigger. */
    private static int awaitHeld(Statement s) {
        int[] pid = {0};
        Gauntlet.await("the keeper's journal write held in the database", () -> {
            try (ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()")) {
                if (r.next()) pid[0] = r.getInt(1);
                return pid[0] != 0;
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        return pid[0];
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean holdingLine(String m) {
        return m.startsWith("WARN")
                && m.contains("journal database jdbc:postgresql://")
                && m.contains("holding: nothing is signed or sent until it answers");
    }

    /** The crash in a block the test mines (automine off). */
    private long crashAndMine() {
        g.f.chain.setAutomine(true);
        long from = crash();
        g.f.chain.setAutomine(false);
        return from;
    }

    private void settle(Gauntlet.Running k) {
        g.mineUntil(
                () -> "the journal to settle; " + k.describe(vault),
                () -> !k.journal().isEmpty()
                        && k.journal().stream()
                                .allMatch(t -> t.state() == TxState.CONFIRMED || t.state() == TxState.FINALIZED));
    }

    /**
     * One Deleveraged event; one journal row, mined in that event's transaction; every distinct transaction the keeper
     * broadcast is that row's one attempt (the same bytes may have gone out again, never other ones); the keeper's
     * nonce moved by one.
     */
    private void savedOnceAndJournaledAsSent(Gauntlet.Running k, long from, BigInteger nonceBefore) {
        List<Receipt.LogEntry> events = g.deleverages(vault, from);
        assertThat(events).as("Deleveraged events").hasSize(1);
        assertThat(g.overTrigger(vault)).isFalse();
        List<TxRecord> rows = k.journal();
        assertThat(rows).as("journal rows").hasSize(1);
        TxDetail d = k.node.journal().detail(rows.get(0).id()).orElseThrow();
        assertThat(d.tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
        assertThat(d.attempts()).as("signed attempts").hasSize(1);
        AttemptRecord a = d.attempts().get(0);
        assertThat(d.mined().orElseThrow().hash().hex()).isEqualTo(a.hash().hex());
        assertThat(events.get(0).txHash().hex()).isEqualTo(a.hash().hex());
        Set<String> sent = g.proxy.broadcasts().stream().map(Gauntlet::hashOf).collect(Collectors.toSet());
        assertThat(sent)
                .as("distinct transactions broadcast")
                .containsExactly(a.hash().hex());
        assertThat(g.keeperNonce()).isEqualTo(nonceBefore.add(BigInteger.ONE));
    }
}
