package io.unwind.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.IllegalTransitionException;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The journal on a fresh in-memory H2 database (PostgreSQL mode) per test. */
@Tag("pure")
class JournalTest {
    static final long CHAIN = 31337;
    static final Address SENDER = Address.of("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    static final Address OTHER_SENDER = Address.of("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    static final Address VAULT_A = Address.of("0x00000000000000000000000000000000000000a1");
    static final Address VAULT_B = Address.of("0x00000000000000000000000000000000000000b2");
    static final Address TO = Address.of("0x00000000000000000000000000000000000000c3");
    static final Eip1559Fees FEES = new Eip1559Fees(Wei.gwei(30), Wei.gwei(2));
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    Database db;
    Journal journal;
    final AtomicInteger hashes = new AtomicInteger();

    /**
     * A fresh H2 database; or, when {@code -Dunwind.test.postgres.url=...} names a PostgreSQL database (user and
     * password in {@code unwind.test.postgres.user/password}), that database with its public schema emptied first, to
     * check that the same schema and SQL run there unchanged.
     */
    @BeforeEach
    void open() throws SQLException {
        String pg = System.getProperty("unwind.test.postgres.url");
        if (pg == null) {
            db = Database.open(Database.inMemoryUrl("journal-" + UUID.randomUUID()), "sa", "");
        } else {
            String user = System.getProperty("unwind.test.postgres.user");
            String password = System.getProperty("unwind.test.postgres.password");
            try (Connection c = java.sql.DriverManager.getConnection(pg, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA public CASCADE");
                s.execute("CREATE SCHEMA public");
            }
            db = Database.open(pg, user, password);
        }
        journal = new Journal(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        db.close();
    }

    static NewTx newTx(String key, Address from, Address vault) {
        return new NewTx(
                key,
                CHAIN,
                from,
                vault,
                TO,
                "0xabcdef01",
                Wei.of(5),
                100_000,
                FEES,
                TxKind.DELEVERAGE,
                0.25,
                Optional.of("{\"plan\":\"sell 1 WETH\"}"),
                java.util.OptionalLong.empty());
    }

    SignedAttempt signed(long nonce, Eip1559Fees fees, long gas) {
        String hash = String.format("0x%064x", hashes.incrementAndGet());
        return new SignedAttempt(AttemptPurpose.ACTION, TxHash.of(hash), "0x02f8" + Long.toHexString(nonce), fees, gas);
    }

    TxRecord created(String key, Address from, Address vault) {
        return ((InsertResult.Created) journal.insert(newTx(key, from, vault))).tx();
    }

    @Test
    void journalsANewTransactionAsUnstartedWithEverythingItWasGiven() {
        TxRecord tx = created("k1", SENDER, VAULT_A);
        assertThat(tx.state()).isEqualTo(TxState.UNSTARTED);
        assertThat(tx.nonce()).isEmpty();
        assertThat(tx.idempotencyKey()).isEqualTo("k1");
        assertThat(tx.from()).isEqualTo(SENDER);
        assertThat(tx.vault()).isEqualTo(VAULT_A);
        assertThat(tx.to()).isEqualTo(TO);
        assertThat(tx.data()).containsExactly(0xab, 0xcd, 0xef, 0x01);
        assertThat(tx.value()).isEqualTo(Wei.of(5));
        assertThat(tx.gasLimit()).isEqualTo(100_000);
        assertThat(tx.initialFees()).isEqualTo(FEES);
        assertThat(tx.kind()).isEqualTo(TxKind.DELEVERAGE);
        assertThat(tx.urgency()).isEqualTo(0.25);
        assertThat(tx.planSummary()).contains("{\"plan\":\"sell 1 WETH\"}");
        assertThat(tx.createdAt()).isEqualTo(NOW);
        assertThat(journal.attempts(tx.id())).isEmpty();
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstTransaction() {
        TxRecord first = created("same", SENDER, VAULT_A);
        InsertResult again = journal.insert(newTx("same", SENDER, VAULT_B));
        assertThat(again).isInstanceOf(InsertResult.DuplicateKey.class);
        assertThat(again.tx().id()).isEqualTo(first.id());
        assertThat(journal.list(TxQuery.latest(10))).hasSize(1);
    }

    @Test
    void aVaultHasAtMostOneTransactionInFlightUntilItIsMined() {
        TxRecord first = created("a1", SENDER, VAULT_A);
        InsertResult second = journal.insert(newTx("a2", SENDER, VAULT_A));
        assertThat(second).isInstanceOf(InsertResult.VaultBusy.class);
        assertThat(second.tx().id()).isEqualTo(first.id());
        assertThat(journal.insert(newTx("b1", SENDER, VAULT_B))).isInstanceOf(InsertResult.Created.class);

        long attemptId = journal.start(first.id(), 0, n -> signed(n, FEES, 100_000))
                .attempts()
                .get(0)
                .id();
        assertThat(journal.insert(newTx("a3", SENDER, VAULT_A))).isInstanceOf(InsertResult.VaultBusy.class);
        journal.markSent(first.id());
        assertThat(journal.insert(newTx("a4", SENDER, VAULT_A))).isInstanceOf(InsertResult.VaultBusy.class);
        journal.markMined(first.id(), attemptId, 10, block(10), true, 50_000, Wei.gwei(3));
        assertThat(journal.insert(newTx("a5", SENDER, VAULT_A))).isInstanceOf(InsertResult.Created.class);
    }

    @Test
    void aVaultIsBusyForAnEngineAtABlockWhileItsActionIsInFlightOrWasMinedAfterThatBlock() {
        TxRecord first = created("a1", SENDER, VAULT_A);
        assertThat(journal.busyForVaultSince(CHAIN, VAULT_A, 9))
                .map(TxRecord::id)
                .hasValue(first.id());
        long attemptId = journal.start(first.id(), 0, n -> signed(n, FEES, 100_000))
                .attempts()
                .get(0)
                .id();
        journal.markSent(first.id());
        journal.markMined(first.id(), attemptId, 10, block(10), true, 50_000, Wei.gwei(3));

        // An engine that read the vault at block 9 has not seen the sale mined in block 10; one at block 10 has.
        assertThat(journal.busyForVaultSince(CHAIN, VAULT_A, 9))
                .map(TxRecord::id)
                .hasValue(first.id());
        assertThat(journal.busyForVaultSince(CHAIN, VAULT_A, 10)).isEmpty();
        assertThat(journal.busyForVaultSince(CHAIN, VAULT_B, 9)).isEmpty();
        // An action in flight comes before one mined after the block.
        TxRecord second = created("a2", SENDER, VAULT_A);
        assertThat(journal.busyForVaultSince(CHAIN, VAULT_A, 9))
                .map(TxRecord::id)
                .hasValue(second.id());
    }

    @Test
    void startAssignsTheNextNonceAboveBothTheChainAndTheJournalAndSavesTheAttemptWithIt() {
        TxRecord a = created("a", SENDER, VAULT_A);
        TxDetail started = journal.start(a.id(), 7, n -> signed(n, FEES, 120_000));
        assertThat(started.tx().state()).isEqualTo(TxState.IN_PROGRESS);
        assertThat(started.tx().nonce()).hasValue(7);
        assertThat(started.tx().gasLimit()).isEqualTo(120_000);
        assertThat(started.attempts()).singleElement().satisfies(x -> {
            assertThat(x.number()).isEqualTo(1);
            assertThat(x.signedRawHex()).isEqualTo("0x02f87");
            assertThat(x.fees()).isEqualTo(FEES);
            assertThat(x.outcome()).isEmpty();
            assertThat(x.broadcastCount()).isZero();
        });
        journal.markSent(a.id());

        TxRecord b = created("b", SENDER, VAULT_B);
        // The chain says 3 (behind the journal): the journal's 7 is still held, so 8.
        assertThat(journal.start(b.id(), 3, n -> signed(n, FEES, 100_000)).tx().nonce())
                .hasValue(8);
        journal.markSent(b.id());

        TxRecord c = created("c", OTHER_SENDER, Address.of("0x00000000000000000000000000000000000000d4"));
        assertThat(journal.start(c.id(), 0, n -> signed(n, FEES, 100_000)).tx().nonce())
                .as("another sender")
                .hasValue(0);
    }

    @Test
    void aNonceRefusedForGoodIsGivenToTheNextTransaction() {
        TxRecord a = created("a", SENDER, VAULT_A);
        journal.start(a.id(), 4, n -> signed(n, FEES, 100_000));
        TxRecord fatal = journal.markRejected(a.id(), "intrinsic gas too low");
        assertThat(fatal.state()).isEqualTo(TxState.FATAL_ERROR);
        assertThat(fatal.error()).contains("intrinsic gas too low");
        assertThat(fatal.nonce()).hasValue(4);

        TxRecord b = created("b", SENDER, VAULT_A);
        assertThat(journal.start(b.id(), 4, n -> signed(n, FEES, 100_000)).tx().nonce())
                .hasValue(4);
    }

    @Test
    void nothingIsWrittenWhenSigningFails() {
        TxRecord a = created("a", SENDER, VAULT_A);
        assertThatThrownBy(() -> journal.start(a.id(), 0, n -> {
                    throw new IllegalStateException("signer unavailable");
                }))
                .hasMessageContaining("signer unavailable");
        TxRecord after = journal.find(a.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(TxState.UNSTARTED);
        assertThat(after.nonce()).isEmpty();
        assertThat(journal.attempts(a.id())).isEmpty();
    }

    @Test
    void atMostOneTransactionInProgressPerSender() {
        TxRecord a = created("a", SENDER, VAULT_A);
        TxRecord b = created("b", SENDER, VAULT_B);
        journal.start(a.id(), 0, n -> signed(n, FEES, 100_000));
        assertThatThrownBy(() -> journal.start(b.id(), 0, n -> signed(n, FEES, 100_000)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("tx_in_progress_uq");
        assertThat(journal.find(b.id()).orElseThrow().state()).isEqualTo(TxState.UNSTARTED);
        assertThat(journal.attempts(b.id())).isEmpty();
    }

    @Test
    void theDatabaseItselfRefusesASecondInProgressRowAndADuplicateLiveNonce() throws SQLException {
        TxRecord a = created("a", SENDER, VAULT_A);
        journal.start(a.id(), 9, n -> signed(n, FEES, 100_000));
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            String insert =
                    "INSERT INTO tx (idempotency_key, chain_id, from_address, vault, to_address, data_hex, value_wei,"
                            + " gas_limit, max_fee_per_gas, max_priority_fee_per_gas, state, kind, urgency, created_at, updated_at,"
                            + " nonce, live_nonce, in_progress_from, inflight_vault) VALUES ('%s', 31337, '%s', '%s', '%s', '0x', 0,"
                            + " 21000, 2, 1, '%s', 'OTHER', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, %s, %s, %s, %s)";
            String v2 = "'0x00000000000000000000000000000000000000e5'";
            assertThatThrownBy(() -> s.execute(String.format(
                            insert,
                            "x1",
                            SENDER.hex(),
                            "0x00000000000000000000000000000000000000e5",
                            TO.hex(),
                            "IN_PROGRESS",
                            10,
                            10,
                            "'" + SENDER.hex() + "'",
                            v2)))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("tx_in_progress_uq");
            assertThatThrownBy(() -> s.execute(String.format(
                            insert,
                            "x2",
                            SENDER.hex(),
                            "0x00000000000000000000000000000000000000e5",
                            TO.hex(),
                            "UNCONFIRMED",
                            9,
                            9,
                            "NULL",
                            v2)))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("tx_live_nonce_uq");
            // A slot out of step with the state is refused by the CHECK, even without a clash.
            assertThatThrownBy(() -> s.execute(String.format(
                            insert,
                            "x3",
                            OTHER_SENDER.hex(),
                            "0x00000000000000000000000000000000000000e5",
                            TO.hex(),
                            "UNCONFIRMED",
                            1,
                            "NULL",
                            "NULL",
                            v2)))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("tx_live_nonce_ck");
            // A fatal row keeps its nonce for the record but holds no slot: the same nonce stays free.
            s.execute(String.format(
                    insert,
                    "x4",
                    SENDER.hex(),
                    "0x00000000000000000000000000000000000000e5",
                    TO.hex(),
                    "FATAL_ERROR",
                    9,
                    "NULL",
                    "NULL",
                    "NULL"));
        }
    }

    @Test
    void stateChangesFollowTheLifecycleAndAnIllegalOneChangesNothing() {
        TxRecord a = created("a", SENDER, VAULT_A);
        assertThatThrownBy(() -> journal.markSent(a.id())).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> journal.markFinalized(a.id())).isInstanceOf(IllegalTransitionException.class);
        assertThat(journal.find(a.id()).orElseThrow().state()).isEqualTo(TxState.UNSTARTED);

        long attemptId = journal.start(a.id(), 0, n -> signed(n, FEES, 100_000))
                .attempts()
                .get(0)
                .id();
        assertThatThrownBy(() -> journal.markMined(a.id(), attemptId, 1, block(1), true, 1, Wei.of(1)))
                .isInstanceOf(IllegalTransitionException.class);
        journal.markSent(a.id());
        assertThatThrownBy(() -> journal.markRejected(a.id(), "late")).isInstanceOf(IllegalTransitionException.class);
        assertThat(journal.find(a.id()).orElseThrow().state()).isEqualTo(TxState.UNCONFIRMED);
    }

    @Test
    void minedRecordsTheReceiptAndFeeAndAReorgClearsThem() {
        TxRecord a = created("a", SENDER, VAULT_A);
        journal.start(a.id(), 0, n -> signed(n, FEES, 100_000));
        journal.markSent(a.id());
        AttemptRecord second =
                journal.addAttempt(a.id(), signed(0, new Eip1559Fees(Wei.gwei(34), Wei.gwei(3)), 130_000));
        assertThat(second.number()).isEqualTo(2);
        assertThat(journal.find(a.id()).orElseThrow().gasLimit())
                .as("raised by the replacement")
                .isEqualTo(130_000);

        TxRecord mined = journal.markMined(a.id(), second.id(), 42, block(42), true, 61_000, Wei.gwei(7));
        assertThat(mined.state()).isEqualTo(TxState.CONFIRMED);
        TxRecord.Confirmation c = mined.confirmation().orElseThrow();
        assertThat(c.attemptId()).isEqualTo(second.id());
        assertThat(c.blockNumber()).isEqualTo(42);
        assertThat(c.blockHash()).isEqualTo(block(42));
        assertThat(c.gasUsed()).isEqualTo(61_000);
        assertThat(c.effectiveGasPrice()).isEqualTo(Wei.gwei(7));
        assertThat(c.feePaid()).isEqualTo(Wei.gwei(7 * 61_000L));
        assertThat(journal.detail(a.id()).orElseThrow().mined())
                .map(AttemptRecord::number)
                .contains(2);

        TxRecord back = journal.markReorged(a.id(), "re-orged: block 42 gone");
        assertThat(back.state()).isEqualTo(TxState.UNCONFIRMED);
        assertThat(back.confirmation()).isEmpty();
        assertThat(back.error()).contains("re-orged: block 42 gone");
        assertThat(back.reorged())
                .as("a re-org is the journal's own flag, not the note's wording")
                .isTrue();
        // Back in flight because of the chain, not a submission: the vault's slot stays free.
        assertThat(journal.insert(newTx("later", SENDER, VAULT_A))).isInstanceOf(InsertResult.VaultBusy.class);

        assertThat(journal.markMined(a.id(), second.id(), 43, block(43), false, 61_000, Wei.gwei(7))
                        .reorged())
                .as("mined again")
                .isFalse();
        TxRecord fin = journal.markFinalized(a.id());
        assertThat(fin.state()).isEqualTo(TxState.FINALIZED);
        assertThat(fin.confirmation().orElseThrow().succeeded()).isFalse();
        assertThat(fin.confirmation().orElseThrow().blockNumber()).isEqualTo(43);
    }

    @Test
    void aBroadcastRecordKeepsSentOnceReachedAndTheBlockItWasSentAt() {
        TxRecord a = created("a", SENDER, VAULT_A);
        AttemptRecord at = journal.start(a.id(), 0, n -> signed(n, FEES, 100_000))
                .attempts()
                .get(0);

        AttemptRecord held = journal.recordBroadcast(at.id(), SendOutcome.HELD, "[{\"answer\":\"rejected\"}]", 5);
        assertThat(held.outcome()).contains(SendOutcome.HELD);
        assertThat(held.everSent()).isFalse();
        assertThat(held.lastSentBlock()).isEmpty();
        assertThat(held.broadcastCount()).isEqualTo(1);

        AttemptRecord sent = journal.recordBroadcast(at.id(), SendOutcome.SENT, "[]", 6);
        assertThat(sent.outcome()).contains(SendOutcome.SENT);
        assertThat(sent.firstSentAt()).contains(NOW);
        assertThat(sent.lastSentBlock()).hasValue(6);

        AttemptRecord refused = journal.recordBroadcast(at.id(), SendOutcome.UNDERPRICED, "[]", 9);
        assertThat(refused.outcome()).as("sticky").contains(SendOutcome.SENT);
        assertThat(refused.lastSentBlock()).hasValue(6);
        assertThat(refused.broadcastCount()).isEqualTo(3);
        assertThat(refused.endpointResults()).contains("[]");

        assertThat(journal.attemptByHash(at.hash())).map(AttemptRecord::id).contains(at.id());
    }

    @Test
    void nonceTakenGivesTheTransactionUpAndFreesItsSlots() {
        TxRecord a = created("a", SENDER, VAULT_A);
        journal.start(a.id(), 3, n -> signed(n, FEES, 100_000));
        journal.markSent(a.id());
        TxRecord given = journal.markNonceTaken(a.id(), "nonce 3 was used by 0xabc");
        assertThat(given.state()).isEqualTo(TxState.FATAL_ERROR);
        assertThat(given.error()).contains("nonce 3 was used by 0xabc");
        assertThat(journal.insert(newTx("again", SENDER, VAULT_A))).isInstanceOf(InsertResult.Created.class);
    }

    @Test
    void listsNewestFirstByStateAndVaultAndCountsByState() {
        TxRecord a = created("a", SENDER, VAULT_A);
        TxRecord b = created("b", SENDER, VAULT_B);
        journal.start(a.id(), 0, n -> signed(n, FEES, 100_000));
        assertThat(journal.list(TxQuery.latest(10))).extracting(TxRecord::id).containsExactly(b.id(), a.id());
        assertThat(journal.list(TxQuery.latest(1))).extracting(TxRecord::id).containsExactly(b.id());
        assertThat(journal.list(TxQuery.latest(10).inState(TxState.IN_PROGRESS)))
                .extracting(TxRecord::id)
                .containsExactly(a.id());
        assertThat(journal.list(TxQuery.latest(10).forVault(VAULT_B)))
                .extracting(TxRecord::id)
                .containsExactly(b.id());
        assertThat(journal.countByState(CHAIN, SENDER))
                .containsEntry(TxState.UNSTARTED, 1L)
                .containsEntry(TxState.IN_PROGRESS, 1L)
                .containsEntry(TxState.CONFIRMED, 0L)
                .hasSize(6);
        assertThat(journal.oldestUnstarted(CHAIN, SENDER)).map(TxRecord::id).contains(b.id());
        assertThat(journal.inProgress(CHAIN, SENDER)).map(TxRecord::id).contains(a.id());
    }

    @Test
    void concurrentSubmissionsOfOneKeyMakeExactlyOneTransaction() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<InsertResult>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Address vault = Address.of(String.format("0x%040x", 0x1000 + i));
                calls.add(() -> journal.insert(newTx("racing", SENDER, vault)));
            }
            List<InsertResult> results = new ArrayList<>();
            for (Future<InsertResult> f : pool.invokeAll(calls)) results.add(f.get());
            assertThat(results)
                    .filteredOn(r -> r instanceof InsertResult.Created)
                    .hasSize(1);
            assertThat(results)
                    .allSatisfy(r -> assertThat(r.tx().idempotencyKey()).isEqualTo("racing"));
            assertThat(journal.list(TxQuery.latest(100))).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSubmissionsForOneVaultLeaveOneInFlight() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<InsertResult>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "k" + i;
                calls.add(() -> journal.insert(newTx(key, SENDER, VAULT_A)));
            }
            List<InsertResult> results = new ArrayList<>();
            for (Future<InsertResult> f : pool.invokeAll(calls)) results.add(f.get());
            assertThat(results)
                    .filteredOn(r -> r instanceof InsertResult.Created)
                    .hasSize(1);
            assertThat(results)
                    .filteredOn(r -> r instanceof InsertResult.VaultBusy)
                    .hasSize(15);
            assertThat(journal.list(TxQuery.latest(100))).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static TxHash block(long n) {
        return TxHash.of(String.format("0x%064x", 0xb10c0000L + n));
    }
}
