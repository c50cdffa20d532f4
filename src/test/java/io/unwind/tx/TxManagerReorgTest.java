package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A re-org (anvil_reorg) that takes a mined transaction's block away: the transaction goes back to UNCONFIRMED, the
 * engine's hook decides, and it is mined again (same bytes) or its nonce is filled by a cancellation. Either way the
 * action happens at most once.
 */
@Tag("chain")
class TxManagerReorgTest {
    private static final Wei VALUE = Wei.of(1_000_000_000_000_000L);

    @Test
    void aReorgedTransactionIsAskedAboutThenSentAgainUnchangedAndConfirmedInItsNewBlock() {
        try (TxHarness h = TxHarness.automine()) {
            List<TxRecord> asked = new ArrayList<>();
            TxManager m = h.manager(h.chain, tx -> {
                asked.add(tx);
                return ReorgHook.Decision.REBROADCAST;
            });
            Address to = h.newRecipient();
            long id = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("reorg", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx()
                    .id();
            h.tickWhenMined(m);
            TxRecord.Confirmation before = h.detail(id).tx().confirmation().orElseThrow();
            TxHash hash = h.detail(id).attempts().get(0).hash();

            h.anvil.reorg(1);
            assertThat(h.receipt(hash)).as("the re-org dropped the receipt").isEmpty();
            assertThat(h.balance(to)).isEqualTo(Wei.ZERO);

            TxReport r = h.tick(m);
            assertThat(r.has(id, TxReport.Kind.REORGED)).isTrue();
            assertThat(r.has(id, TxReport.Kind.RESENT)).isTrue();
            assertThat(asked).singleElement().satisfies(t -> {
                assertThat(t.id()).isEqualTo(id);
                assertThat(t.state()).isEqualTo(TxState.UNCONFIRMED);
            });
            assertThat(h.counter(TxMetrics.REORGED)).isEqualTo(1);

            // anvil mines the re-sent bytes at once, so the same head may already confirm them again.
            TxHarness.await(
                    "the re-sent transfer to be mined again",
                    () -> h.receipt(hash).isPresent());
            TxReport next = h.tick(m);
            assertThat(r.has(id, TxReport.Kind.CONFIRMED) || next.has(id, TxReport.Kind.CONFIRMED))
                    .isTrue();
            assertThat(r.of(id).size() + next.of(id).size())
                    .as("reorged, resent, confirmed: nothing more")
                    .isEqualTo(3);
            TxDetail after = h.detail(id);
            assertThat(after.tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(after.attempts())
                    .as("the same signed bytes, no new attempt")
                    .hasSize(1);
            assertThat(after.attempts().get(0).broadcastCount()).isEqualTo(2);
            assertThat(after.tx().confirmation().orElseThrow().blockHash()).isNotEqualTo(before.blockHash());
            assertThat(h.balance(to)).as("paid once").isEqualTo(VALUE);
            assertThat(h.minedNonce()).isEqualTo(1);
        }
    }

    @Test
    void whenTheActionIsNoLongerNeededItsNonceIsFilledWithACancellation() {
        try (TxHarness h = TxHarness.automine()) {
            TxManager m = h.manager(h.chain, tx -> ReorgHook.Decision.CANCEL);
            Address to = h.newRecipient();
            long id = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("cancel", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx()
                    .id();
            h.tickWhenMined(m);
            AttemptRecord action = h.detail(id).attempts().get(0);

            h.anvil.reorg(1);
            TxReport r = h.tick(m);
            assertThat(r.has(id, TxReport.Kind.REORGED)).isTrue();
            assertThat(r.has(id, TxReport.Kind.CANCEL_SENT)).isTrue();
            AttemptRecord cancel = h.detail(id).attempts().get(1);
            assertThat(cancel.purpose()).isEqualTo(AttemptPurpose.CANCEL);
            assertThat(cancel.gasLimit()).isEqualTo(21_000);
            assertThat(cancel.fees().maxFeePerGas()).isGreaterThan(action.fees().maxFeePerGas());
            assertThat(cancel.fees().maxPriorityFeePerGas())
                    .isGreaterThan(action.fees().maxPriorityFeePerGas());

            TxHarness.await(
                    "the cancellation to be mined",
                    () -> h.receipt(cancel.hash()).isPresent());
            TxReport next = h.tick(m);
            assertThat(r.has(id, TxReport.Kind.CONFIRMED) || next.has(id, TxReport.Kind.CONFIRMED))
                    .isTrue();
            TxDetail done = h.detail(id);
            assertThat(done.tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(done.attempts()).hasSize(2);
            assertThat(done.tx().cancelled()).isTrue();
            assertThat(done.mined()).map(AttemptRecord::purpose).contains(AttemptPurpose.CANCEL);
            var onChain = h.chain.transaction(cancel.hash()).orElseThrow();
            assertThat(onChain.from()).isEqualTo(h.keeper());
            assertThat(onChain.nonce().longValueExact()).isEqualTo(done.tx().requireNonce());
            assertThat(h.receipt(action.hash())).isEmpty();
            assertThat(h.balance(to)).as("the action never happened").isEqualTo(Wei.ZERO);
            assertThat(h.minedNonce()).isEqualTo(1);
        }
    }
}
