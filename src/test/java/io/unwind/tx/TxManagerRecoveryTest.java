package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.chain.SendResult;
import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.local.LocalChain;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes between journaling and broadcasting (and just after), restarts with another configuration, a sender that
 * cannot pay, and nodes that answer oddly: the transaction is sent, with the bytes first journaled, exactly once.
 */
@Tag("chain")
class TxManagerRecoveryTest {
    private static final Wei VALUE = Wei.of(1_000_000_000_000_000L);

    @TempDir
    Path dir;

    /** A process restarted on the same database file, configured differently (other caps, other fee settings). */
    private static TxManager restarted(TxHarness h, Database db) {
        TxSettings changed = TxSettings.defaults(TxHarness.CHAIN_ID, new FeeCaps(Wei.gwei(3), Wei.gwei(4)))
                .withStuckAfterBlocks(1);
        return new TxManager(
                h.chain,
                new Journal(db.dataSource(), Clock.systemUTC()),
                h.signer,
                changed,
                new TxMetrics(new SimpleMeterRegistry()),
                ReorgHook.ALWAYS_REBROADCAST);
    }

    @Test
    void aCrashAfterJournalingButBeforeBroadcastingSendsTheSavedBytesExactlyOnceAfterRestart() {
        String url = Database.embeddedUrl(dir);
        try (TxHarness h = new TxHarness(LocalChain.Options.defaults(), url)) {
            TxManager dying = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            throw new IllegalStateException("power cut");
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            Address to = h.newRecipient();
            assertThatThrownBy(() -> dying.submit(
                            TxHarness.transfer("crash", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .hasMessageContaining("power cut");
            TxDetail saved = h.journal
                    .findByKey("crash")
                    .flatMap(t -> h.journal.detail(t.id()))
                    .orElseThrow();
            assertThat(saved.tx().state()).isEqualTo(TxState.IN_PROGRESS);
            assertThat(saved.tx().nonce()).hasValue(0);
            AttemptRecord attempt = saved.attempts().get(0);
            assertThat(attempt.broadcastCount()).isZero();
            assertThat(h.chain.nonce(h.keeper(), true))
                    .as("nothing reached the node")
                    .isZero();
            h.db.close();

            try (Database db = Database.open(url, "sa", "")) {
                TxManager m = restarted(h, db);
                TxReport recovery = m.recover();
                assertThat(recovery.has(saved.tx().id(), TxReport.Kind.SENT))
                        .as(recovery.toString())
                        .isTrue();
                TxHarness.await(
                        "the recovered transfer to be mined",
                        () -> h.receipt(attempt.hash()).isPresent());
                assertThat(h.rawOnChain(attempt.hash()))
                        .as("the journaled bytes, fees unchanged")
                        .isEqualTo(attempt.signedRawHex());
                assertThat(m.onHead(h.head()).has(saved.tx().id(), TxReport.Kind.CONFIRMED))
                        .isTrue();
                assertThat(m.transaction(saved.tx().id()).orElseThrow().attempts())
                        .hasSize(1);

                // Yet another restart sends nothing for a transaction already mined.
                TxReport again = restarted(h, db).recover();
                assertThat(again.changes()).isEmpty();
            }
            assertThat(h.minedNonce()).isEqualTo(1);
            assertThat(h.balance(to)).isEqualTo(VALUE);
        }
    }

    @Test
    void aCrashAfterBroadcastingButBeforeRecordingItIsSettledFromNonceTooLowWithoutASecondSend() {
        String url = Database.embeddedUrl(dir);
        try (TxHarness h = new TxHarness(LocalChain.Options.defaults(), url)) {
            TxManager dying = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            real.broadcast(signed);
                            throw new IllegalStateException("power cut");
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            Address to = h.newRecipient();
            assertThatThrownBy(() -> dying.submit(
                            TxHarness.transfer("crash2", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .hasMessageContaining("power cut");
            TxRecord saved = h.journal.findByKey("crash2").orElseThrow();
            AttemptRecord attempt = h.journal.attempts(saved.id()).get(0);
            TxHarness.await(
                    "the transfer to be mined", () -> h.receipt(attempt.hash()).isPresent());
            h.db.close();

            try (Database db = Database.open(url, "sa", "")) {
                TxManager m = restarted(h, db);
                TxReport recovery = m.recover();
                // Its nonce is used on chain: it is settled from its receipt, not broadcast again (a node could only
                // answer "nonce too low"), and recovery says it was mined, not that it was sent again.
                assertThat(recovery.has(saved.id(), TxReport.Kind.CONFIRMED))
                        .as(recovery.toString())
                        .isTrue();
                assertThat(recovery.has(saved.id(), TxReport.Kind.RESENT)
                                || recovery.has(saved.id(), TxReport.Kind.SENT))
                        .as(recovery.toString())
                        .isFalse();
                AttemptRecord after =
                        m.transaction(saved.id()).orElseThrow().attempts().get(0);
                assertThat(after.broadcastCount()).as("not broadcast again").isZero();
                assertThat(m.transaction(saved.id()).orElseThrow().mined())
                        .map(AttemptRecord::hash)
                        .contains(attempt.hash());
            }
            assertThat(h.minedNonce()).isEqualTo(1);
            assertThat(h.balance(to)).isEqualTo(VALUE);
        }
    }

    /**
     * An action journaled while the node could not be reached (so never signed), and a restart many blocks later: it
     * was planned for a chain that has moved on, so it is given up with the reason, not signed.
     */
    @Test
    void anActionJournaledButNeverSignedIsAbandonedWhenItWasPlannedTooManyBlocksAgo() {
        String url = Database.embeddedUrl(dir);
        try (TxHarness h = new TxHarness(LocalChain.Options.defaults().withNoMining(), url)) {
            Address to = h.newRecipient();
            long planned = h.head().number();
            TxRecord tx = journaledWhileTheNodeIsDown(h, "old", to, planned);
            h.anvil.mine(
                    TxSettings.defaults(TxHarness.CHAIN_ID, h.settings.caps()).maxPlanAgeBlocks() + 1);

            TxManager m = h.manager();
            TxReport recovery = m.recover();
            assertThat(recovery.has(tx.id(), TxReport.Kind.ABANDONED))
                    .as(recovery.toString())
                    .isTrue();
            TxRecord after = h.journal.find(tx.id()).orElseThrow();
            assertThat(after.state()).isEqualTo(TxState.FATAL_ERROR);
            assertThat(after.error())
                    .hasValue("abandoned before signing: planned at block " + planned + ", 11 blocks before block "
                            + (planned + 11) + " (at most 10)");
            assertThat(m.onHead(h.head()).changes()).isEmpty();
            assertThat(h.journal.attempts(tx.id())).as("never signed").isEmpty();
            assertThat(h.chain.nonce(h.keeper(), true))
                    .as("nothing reached the node")
                    .isZero();
            assertThat(h.counter(TxMetrics.ABANDONED)).isEqualTo(1);
        }
    }

    /** The same, restarted soon enough: the action is still wanted, and is signed and sent at the next head. */
    @Test
    void anActionJournaledButNeverSignedThatIsStillWantedIsSentAtTheNextHead() {
        String url = Database.embeddedUrl(dir);
        try (TxHarness h = new TxHarness(LocalChain.Options.defaults(), url)) {
            Address to = h.newRecipient();
            TxRecord tx = journaledWhileTheNodeIsDown(h, "recent", to, h.head().number());
            h.anvil.mine(2);

            TxManager m = h.manager();
            assertThat(m.recover().changes()).isEmpty();
            assertThat(m.onHead(h.head()).has(tx.id(), TxReport.Kind.SENT)).isTrue();
            h.tickWhenMined(m);
            assertThat(h.journal.find(tx.id()).orElseThrow().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.balance(to)).isEqualTo(VALUE);
        }
    }

    /** An action (a transfer standing in for a sale) planned at {@code planned}, journaled while no node answers. */
    private static TxRecord journaledWhileTheNodeIsDown(TxHarness h, String key, Address to, long planned) {
        TxManager blind = h.manager(
                new ForwardingChainClient(h.chain) {
                    @Override
                    public io.unwind.domain.chain.BlockRef latestBlock() {
                        throw new io.unwind.chain.ChainException("no endpoint answers");
                    }
                },
                ReorgHook.ALWAYS_REBROADCAST);
        TxRequest sale = new TxRequest(
                        key,
                        TxHarness.vault(1),
                        to,
                        new byte[0],
                        VALUE,
                        21_000,
                        TxHarness.gwei("10", "1"),
                        io.unwind.domain.tx.TxKind.DELEVERAGE,
                        io.unwind.domain.risk.Urgency.NONE,
                        "sell 1 WETH")
                .plannedAt(planned);
        TxRecord tx = ((SubmitResult.Accepted) blind.submit(sale)).tx().tx();
        assertThat(tx.state()).isEqualTo(TxState.UNSTARTED);
        assertThat(tx.plannedBlock()).hasValue(planned);
        return tx;
    }

    @Test
    void aCrashWhileTheTransactionWaitsInThePoolIsSettledFromAlreadyImported() {
        String url = Database.embeddedUrl(dir);
        try (TxHarness h = new TxHarness(LocalChain.Options.defaults().withNoMining(), url)) {
            Address to = h.newRecipient();
            TxRecord tx = ((SubmitResult.Accepted) h.manager()
                            .submit(TxHarness.transfer(
                                    "pooled", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            h.db.close();

            try (Database db = Database.open(url, "sa", "")) {
                TxManager m = restarted(h, db);
                TxReport recovery = m.recover();
                assertThat(recovery.has(tx.id(), TxReport.Kind.RESENT))
                        .as(recovery.toString())
                        .isTrue();
                assertThat(m.transaction(tx.id())
                                .orElseThrow()
                                .attempts()
                                .get(0)
                                .endpointResults()
                                .orElseThrow())
                        .contains("transaction already imported");
                h.anvil.mine(1);
                assertThat(m.onHead(h.head()).has(tx.id(), TxReport.Kind.CONFIRMED))
                        .isTrue();
                assertThat(m.transaction(tx.id()).orElseThrow().attempts()).hasSize(1);
            }
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.minedNonce()).isEqualTo(1);
        }
    }

    @Test
    void aSenderThatCannotPayIsHeldAndTheSameBytesGoOutOnceFunded() {
        try (TxHarness h = TxHarness.automine()) {
            h.anvil.setBalance(h.keeper().hex(), Wei.of(100_000_000_000_000L));
            TxManager m = h.manager();
            Address to = h.newRecipient();
            TxDetail held = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("poor", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx();
            assertThat(held.tx().state())
                    .as("no node took it: still in progress")
                    .isEqualTo(TxState.IN_PROGRESS);
            AttemptRecord attempt = held.attempts().get(0);
            assertThat(attempt.outcome()).contains(SendOutcome.HELD);
            assertThat(attempt.endpointResults().orElseThrow()).contains("Insufficient funds");

            // Another vault's transaction waits behind it, without a nonce: nothing may overtake the held one.
            Address to2 = h.newRecipient();
            TxRecord waiting = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("behind", TxHarness.vault(2), to2, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(waiting.state()).isEqualTo(TxState.UNSTARTED);
            assertThat(waiting.nonce()).isEmpty();

            for (int i = 0; i < 2; i++) {
                h.anvil.mine(1);
                assertThat(h.tick(m).has(held.tx().id(), TxReport.Kind.HELD)).isTrue();
            }
            TxDetail still = h.detail(held.tx().id());
            assertThat(still.attempts())
                    .as("re-sent unchanged, never re-signed")
                    .hasSize(1);
            assertThat(still.attempts().get(0).broadcastCount()).isGreaterThanOrEqualTo(3);
            assertThat(h.counter(TxMetrics.BROADCAST_ERRORS, "class", "INSUFFICIENT_FUNDS_HOLD"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(h.detail(waiting.id()).tx().state()).isEqualTo(TxState.UNSTARTED);

            h.anvil.setBalance(h.keeper().hex(), Wei.of(new java.math.BigInteger("10000000000000000000")));
            TxReport funded = h.tick(m);
            assertThat(funded.has(held.tx().id(), TxReport.Kind.RESENT))
                    .as(funded.toString())
                    .isTrue();
            assertThat(funded.has(waiting.id(), TxReport.Kind.SENT)).isTrue();
            TxHarness.await("both transfers to be mined", () -> h.minedNonce() == 2);
            h.tick(m);
            assertThat(h.detail(held.tx().id()).tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.detail(held.tx().id()).mined())
                    .map(AttemptRecord::hash)
                    .contains(attempt.hash());
            assertThat(h.detail(waiting.id()).tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.detail(waiting.id()).tx().nonce()).hasValue(1);
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.balance(to2)).isEqualTo(VALUE);
        }
    }

    @Test
    void aNodeReportingAnotherHashIsAnAlertAndTheTransactionIsRefused() {
        try (TxHarness h = TxHarness.automine()) {
            TxManager lied = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            return List.of(SendResult.accepted("liar", "0x" + "ab".repeat(32)));
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            TxDetail d = ((SubmitResult.Accepted) lied.submit(TxHarness.transfer(
                            "lie", TxHarness.vault(1), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .tx();
            assertThat(d.tx().state()).isEqualTo(TxState.FATAL_ERROR);
            assertThat(d.tx().error().orElseThrow()).contains("hash-mismatch").contains("0x" + "ab".repeat(32));
            assertThat(h.counter(TxMetrics.HASH_MISMATCH)).isEqualTo(1);

            Address to = h.newRecipient();
            TxRecord honest = ((SubmitResult.Accepted) h.manager()
                            .submit(TxHarness.transfer(
                                    "honest", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(honest.nonce()).hasValue(0);
            h.tickWhenMined(h.manager());
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.minedNonce()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownAnswerIsCheckedAgainstThePendingNonce() {
        try (TxHarness h = TxHarness.automine()) {
            // One node takes it but answers nonsense; another call answers nonsense and does not take it.
            TxManager odd = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            real.broadcast(signed);
                            return List.of(SendResult.rejected("odd", "internal error 0x1f"));
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            Address to = h.newRecipient();
            TxRecord out = ((SubmitResult.Accepted) odd.submit(
                            TxHarness.transfer("odd", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(out.state()).as("the pending nonce moved past it").isEqualTo(TxState.UNCONFIRMED);

            TxManager silent = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            return List.of(SendResult.rejected("odd", "internal error 0x1f"));
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            TxRecord kept = ((SubmitResult.Accepted) silent.submit(TxHarness.transfer(
                            "silent", TxHarness.vault(2), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(kept.state()).as("not out: kept to send again").isEqualTo(TxState.IN_PROGRESS);

            TxManager m = h.manager();
            h.tick(m);
            TxHarness.await("both to be mined", () -> h.minedNonce() == 2);
            h.tick(m);
            assertThat(h.detail(out.id()).tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.detail(kept.id()).tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.detail(kept.id()).attempts()).hasSize(1);
            assertThat(h.balance(to)).isEqualTo(VALUE);
        }
    }
}
