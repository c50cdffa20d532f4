package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeePolicy;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stuck transactions and replacements at the same nonce, on an anvil that mines only when told: exactly one attempt is
 * ever mined, and a nonce used behind the manager's back is settled without sending the action twice.
 */
@Tag("chain")
class TxManagerReplacementTest {
    private static final Wei VALUE = Wei.of(1_000_000_000_000_000L);

    private static void assertBothFeesRoseByAtLeastTenPercent(Eip1559Fees before, Eip1559Fees after) {
        Eip1559Fees min = FeePolicy.minimumReplacement(before);
        assertThat(after.maxFeePerGas()).isGreaterThanOrEqualTo(min.maxFeePerGas());
        assertThat(after.maxPriorityFeePerGas()).isGreaterThanOrEqualTo(min.maxPriorityFeePerGas());
        assertThat(after.maxFeePerGas().value().multiply(java.math.BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(before.maxFeePerGas().value().multiply(java.math.BigInteger.valueOf(110)));
        assertThat(after.maxPriorityFeePerGas().value().multiply(java.math.BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(
                        before.maxPriorityFeePerGas().value().multiply(java.math.BigInteger.valueOf(110)));
    }

    @Test
    void aStuckTransactionIsReplacedWithBothFeesRaisedAndExactlyOneAttemptIsMined() {
        try (TxHarness h = TxHarness.manualMining()) {
            TxManager m = h.manager();
            Address to = h.newRecipient();
            TxRecord tx = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("stuck", TxHarness.vault(1), to, VALUE, TxHarness.gwei("1", "0.1"))))
                    .tx()
                    .tx();
            assertThat(tx.state()).isEqualTo(TxState.UNCONFIRMED);

            // Gas spikes to 20 gwei: the 1 gwei fee cap cannot get in.
            h.anvil.setNextBlockBaseFee(Wei.gwei(20));
            for (int block = 1; block < h.settings.stuckAfterBlocks(); block++) {
                h.anvil.mine(1);
                TxReport r = h.tick(m);
                assertThat(r.of(tx.id())).as("not stuck yet at block " + block).isEmpty();
            }
            h.anvil.mine(1);
            TxReport bumped = h.tick(m);
            assertThat(bumped.has(tx.id(), TxReport.Kind.REPLACED)).isTrue();
            assertThat(bumped.has(tx.id(), TxReport.Kind.SENT)).isTrue();

            List<AttemptRecord> attempts = h.detail(tx.id()).attempts();
            assertThat(attempts).hasSize(2);
            AttemptRecord first = attempts.get(0);
            AttemptRecord second = attempts.get(1);
            assertBothFeesRoseByAtLeastTenPercent(first.fees(), second.fees());
            assertThat(second.fees().maxFeePerGas())
                    .as("priced for the spike")
                    .isGreaterThan(Wei.gwei(20).mulDivUp(875, 1000).mulDivUp(875, 1000));
            assertThat(second.gasLimit()).isGreaterThanOrEqualTo(first.gasLimit());
            assertThat(second.outcome()).contains(SendOutcome.SENT);
            assertThat(h.counter(TxMetrics.REPLACEMENTS)).isEqualTo(1);

            h.anvil.mine(1);
            TxReport confirmed = h.tick(m);
            assertThat(confirmed.has(tx.id(), TxReport.Kind.CONFIRMED)).isTrue();
            TxDetail done = h.detail(tx.id());
            assertThat(done.tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(done.mined()).map(AttemptRecord::number).contains(2);
            assertThat(h.receipt(second.hash())).isPresent();
            assertThat(h.receipt(first.hash()))
                    .as("the replaced attempt never mined")
                    .isEmpty();
            assertThat(h.knownToNode(first.hash())).isFalse();
            assertThat(h.minedNonce()).isEqualTo(1);
            assertThat(h.balance(to)).as("the transfer happened exactly once").isEqualTo(VALUE);
        }
    }

    @Test
    void replacementTransactionUnderpricedIsBumpedAtOnceUntilItReplaces() {
        try (TxHarness h = TxHarness.manualMining()) {
            TxManager m = h.manager();
            // Someone holds the keeper's next nonce in the pool at a 10.5 gwei fee cap.
            Address elsewhere = h.newRecipient();
            TxHash foreign = h.sendOutsideTheManager(0, TxHarness.gwei("10.5", "1"), elsewhere, Wei.of(1));

            Address to = h.newRecipient();
            TxDetail d = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("under", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx();
            assertThat(d.tx().nonce()).hasValue(0);
            assertThat(d.tx().state()).isEqualTo(TxState.UNCONFIRMED);
            assertThat(d.attempts()).hasSize(2);
            AttemptRecord refused = d.attempts().get(0);
            AttemptRecord replacement = d.attempts().get(1);
            assertThat(refused.outcome()).contains(SendOutcome.UNDERPRICED);
            assertThat(refused.endpointResults().orElseThrow()).contains("replacement transaction underpriced");
            assertThat(refused.everSent()).isFalse();
            assertBothFeesRoseByAtLeastTenPercent(refused.fees(), replacement.fees());
            assertThat(replacement.outcome()).contains(SendOutcome.SENT);
            assertThat(h.counter(TxMetrics.BROADCAST_ERRORS, "class", "REPLACEMENT_UNDERPRICED"))
                    .isEqualTo(1);

            h.anvil.mine(1);
            assertThat(h.tick(m).has(d.tx().id(), TxReport.Kind.CONFIRMED)).isTrue();
            assertThat(h.detail(d.tx().id()).mined()).map(AttemptRecord::hash).contains(replacement.hash());
            assertThat(h.receipt(foreign)).isEmpty();
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.balance(elsewhere)).isEqualTo(Wei.ZERO);
            assertThat(h.minedNonce()).isEqualTo(1);
        }
    }

    @Test
    void aNonceUsedBehindTheManagersBackIsSettledByFindingWhoUsedItNeverByResending() {
        try (TxHarness h = TxHarness.manualMining()) {
            TxManager m = h.manager();
            Address to = h.newRecipient();
            TxRecord ours = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("ours", TxHarness.vault(1), to, VALUE, TxHarness.gwei("2", "1"))))
                    .tx()
                    .tx();
            assertThat(ours.nonce()).hasValue(0);

            // An operator uses the key by hand at the same nonce, paying more: theirs replaces ours in the pool.
            Address elsewhere = h.newRecipient();
            TxHash foreign = h.sendOutsideTheManager(0, TxHarness.gwei("50", "5"), elsewhere, Wei.of(1));
            h.anvil.mine(1);
            assertThat(h.receipt(foreign)).isPresent();

            TxReport report = h.tick(m);
            assertThat(report.has(ours.id(), TxReport.Kind.NONCE_TAKEN)).isTrue();
            TxRecord given = h.detail(ours.id()).tx();
            assertThat(given.state()).isEqualTo(TxState.FATAL_ERROR);
            assertThat(given.error().orElseThrow())
                    .contains(foreign.hex())
                    .contains("did not sign")
                    .contains("nonce 0");
            assertThat(h.detail(ours.id()).attempts()).as("nothing re-sent").hasSize(1);
            assertThat(h.counter(TxMetrics.NONCE_TAKEN)).isEqualTo(1);
            assertThat(h.balance(to)).as("our action did not happen").isEqualTo(Wei.ZERO);
            assertThat(h.balance(elsewhere)).isEqualTo(Wei.of(1));

            // The vault is free again; the next transaction takes nonce 1: not 0 again, and no blind skip to 2.
            TxRecord next = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("ours-again", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(next.nonce()).hasValue(1);
            h.anvil.mine(1);
            assertThat(h.tick(m).has(next.id(), TxReport.Kind.CONFIRMED)).isTrue();
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.minedNonce()).isEqualTo(2);
        }
    }

    @Test
    void overTheCapAStuckTransactionIsSentAgainUnchangedAndGetsInWhenGasFalls() {
        try (TxHarness h = TxHarness.manualMining()) {
            // Caps of 1 gwei leave no room for a +10% replacement of a 1 gwei fee cap.
            TxManager m = new TxManager(
                    h.chain,
                    h.journal,
                    h.signer,
                    h.settings.withCaps(new io.unwind.domain.fee.FeeCaps(Wei.gwei(1), Wei.gwei(1))),
                    h.metrics,
                    ReorgHook.ALWAYS_REBROADCAST);
            Address to = h.newRecipient();
            TxRecord tx = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("capped", TxHarness.vault(1), to, VALUE, TxHarness.gwei("1", "0.1"))))
                    .tx()
                    .tx();
            h.anvil.setNextBlockBaseFee(Wei.gwei(20));
            h.anvil.mine(h.settings.stuckAfterBlocks());
            TxReport r = h.tick(m);
            assertThat(r.has(tx.id(), TxReport.Kind.REPLACED)).as(r.toString()).isFalse();
            AttemptRecord only = h.detail(tx.id()).attempts().get(0);
            assertThat(h.detail(tx.id()).attempts()).hasSize(1);
            assertThat(only.broadcastCount()).as("sent again, unchanged").isEqualTo(2);
            // anvil checks a re-sent transaction against the current base fee before noticing it has it already.
            assertThat(only.endpointResults().orElseThrow()).contains("max fee per gas less than block base fee");
            assertThat(only.outcome()).as("still the one a node holds").contains(SendOutcome.SENT);

            // Empty blocks lower the base fee by 1/8 each: after 30 it is under 1 gwei. anvil dropped the transaction
            // from its pool while it could not pay the base fee; the stuck check sends the same bytes again.
            h.anvil.mine(30);
            TxReport resent = h.tick(m);
            assertThat(resent.has(tx.id(), TxReport.Kind.RESENT))
                    .as(resent.toString())
                    .isTrue();
            h.anvil.mine(1);
            TxReport later = h.tick(m);
            assertThat(later.has(tx.id(), TxReport.Kind.CONFIRMED))
                    .as(later.toString())
                    .isTrue();
            assertThat(h.detail(tx.id()).attempts()).hasSize(1);
            assertThat(h.detail(tx.id()).mined()).map(AttemptRecord::hash).contains(only.hash());
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.counter(TxMetrics.REPLACEMENTS)).isZero();
        }
    }
}
