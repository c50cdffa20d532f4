package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Submitting, confirming and finalizing on a real anvil; idempotency and one transaction in flight per vault. */
@Tag("chain")
class TxManagerBasicsTest {
    private static final Wei VALUE = Wei.of(1_000_000_000_000_000L);

    @Test
    void submittedMinedConfirmedAndFinalized() {
        try (TxHarness h = TxHarness.automine()) {
            TxManager m = h.manager();
            Address to = h.newRecipient();
            SubmitResult r =
                    m.submit(TxHarness.transfer("happy", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1")));

            TxDetail sent = ((SubmitResult.Accepted) r).tx();
            assertThat(sent.tx().state()).isEqualTo(TxState.UNCONFIRMED);
            assertThat(sent.tx().nonce()).hasValue(0);
            AttemptRecord attempt = sent.attempts().get(0);
            assertThat(sent.attempts()).hasSize(1);
            assertThat(attempt.outcome()).contains(SendOutcome.SENT);
            // The hash is the keccak of the journaled bytes, and the node holds exactly those bytes.
            assertThat(Numeric.toHexString(Hash.sha3(attempt.signedRaw())))
                    .isEqualTo(attempt.hash().hex());
            TxHarness.await(
                    "the transfer to be mined", () -> h.receipt(attempt.hash()).isPresent());
            assertThat(h.rawOnChain(attempt.hash())).isEqualTo(attempt.signedRawHex());

            TxReport report = h.tick(m);
            assertThat(report.has(sent.tx().id(), TxReport.Kind.CONFIRMED)).isTrue();
            Receipt receipt = h.receipt(attempt.hash()).orElseThrow();
            TxRecord confirmed = h.detail(sent.tx().id()).tx();
            assertThat(confirmed.state()).isEqualTo(TxState.CONFIRMED);
            TxRecord.Confirmation c = confirmed.confirmation().orElseThrow();
            assertThat(c.attemptId()).isEqualTo(attempt.id());
            assertThat(c.blockNumber()).isEqualTo(receipt.blockNumber());
            assertThat(c.blockHash()).isEqualTo(receipt.blockHash());
            assertThat(c.succeeded()).isTrue();
            assertThat(c.gasUsed()).isEqualTo(21_000);
            assertThat(c.effectiveGasPrice().value()).isEqualTo(receipt.effectiveGasPrice());
            assertThat(c.feePaid())
                    .isEqualTo(Wei.of(receipt.effectiveGasPrice()).times(21_000));
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(h.minedNonce()).isEqualTo(1);

            // Not final yet: anvil's finalized block is 64 below the head.
            assertThat(h.tick(m).has(confirmed.id(), TxReport.Kind.FINALIZED)).isFalse();
            h.anvil.mine(64);
            assertThat(h.tick(m).has(confirmed.id(), TxReport.Kind.FINALIZED)).isTrue();
            assertThat(h.detail(confirmed.id()).tx().state()).isEqualTo(TxState.FINALIZED);
            assertThat(h.detail(confirmed.id()).attempts().get(0).broadcastCount())
                    .as("sent once")
                    .isEqualTo(1);

            assertThat(h.counter(TxMetrics.SUBMITTED, "kind", "OTHER")).isEqualTo(1);
            assertThat(h.counter(TxMetrics.CONFIRMED, "result", "success")).isEqualTo(1);
            assertThat(h.counter(TxMetrics.FEE_PAID_WEI))
                    .isEqualTo(c.feePaid().value().doubleValue());
            assertThat(h.registry
                            .find(TxMetrics.STATE)
                            .tags("state", "FINALIZED")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(h.registry
                            .find(TxMetrics.STATE)
                            .tags("state", "UNCONFIRMED")
                            .gauge()
                            .value())
                    .isZero();
        }
    }

    @Test
    void withoutAFinalizedTagTheConfirmationDepthDecidesAndTheBlockHashMustStillMatch() {
        try (TxHarness h = TxHarness.automine()) {
            ForwardingChainClient noFinality = new ForwardingChainClient(h.chain) {
                @Override
                public Optional<BlockRef> finalizedBlock() {
                    return Optional.empty();
                }
            };
            TxManager m = h.manager(noFinality, ReorgHook.ALWAYS_REBROADCAST);
            long id = ((SubmitResult.Accepted) m.submit(TxHarness.transfer(
                            "depth", TxHarness.vault(1), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx()
                    .id();
            h.tickWhenMined(m);
            long minedAt = h.detail(id).tx().confirmation().orElseThrow().blockNumber();
            h.anvil.mine(h.settings.confirmationDepth() - 1);
            assertThat(h.head().number() - minedAt).isEqualTo(h.settings.confirmationDepth() - 1);
            assertThat(h.tick(m).has(id, TxReport.Kind.FINALIZED)).isFalse();
            h.anvil.mine(1);
            assertThat(h.tick(m).has(id, TxReport.Kind.FINALIZED)).isTrue();
        }
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameTransactionAndSendsNothingMore() {
        try (TxHarness h = TxHarness.automine()) {
            TxManager m = h.manager();
            Address to = h.newRecipient();
            TxRequest req = TxHarness.transfer("once", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"));
            long id = ((SubmitResult.Accepted) m.submit(req)).tx().tx().id();

            SubmitResult again = m.submit(req);
            assertThat(again).isInstanceOf(SubmitResult.Duplicate.class);
            assertThat(((SubmitResult.Duplicate) again).tx().tx().id()).isEqualTo(id);
            h.tickWhenMined(m);
            // Even after it is mined, and even with other fees: the key names the action, not the attempt.
            SubmitResult later =
                    m.submit(TxHarness.transfer("once", TxHarness.vault(1), to, VALUE, TxHarness.gwei("20", "2")));
            assertThat(((SubmitResult.Duplicate) later).tx().tx().state()).isEqualTo(TxState.CONFIRMED);

            assertThat(h.minedNonce()).isEqualTo(1);
            assertThat(h.balance(to)).isEqualTo(VALUE);
            assertThat(m.transactions(TxQuery.latest(10))).hasSize(1);
            assertThat(h.detail(id).attempts()).hasSize(1);
            assertThat(m.transaction("once")).map(d -> d.tx().id()).contains(id);
        }
    }

    @Test
    void aVaultWithATransactionInFlightRefusesASecondUntilTheFirstIsMined() {
        try (TxHarness h = TxHarness.manualMining()) {
            TxManager m = h.manager();
            Address vault = TxHarness.vault(7);
            TxRecord first = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("v-1", vault, h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(first.state()).isEqualTo(TxState.UNCONFIRMED);

            SubmitResult second =
                    m.submit(TxHarness.transfer("v-2", vault, h.newRecipient(), VALUE, TxHarness.gwei("10", "1")));
            assertThat(second).isInstanceOf(SubmitResult.VaultBusy.class);
            assertThat(((SubmitResult.VaultBusy) second).inFlight().id()).isEqualTo(first.id());
            assertThat(m.transaction("v-2"))
                    .as("the refused request left no trace")
                    .isEmpty();

            TxRecord other = ((SubmitResult.Accepted) m.submit(TxHarness.transfer(
                            "w-1", TxHarness.vault(8), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .tx()
                    .tx();
            assertThat(other.nonce())
                    .as("another vault is not blocked, and takes the next nonce")
                    .hasValue(1);

            h.anvil.mine(1);
            TxReport report = h.tick(m);
            assertThat(report.has(first.id(), TxReport.Kind.CONFIRMED)).isTrue();
            assertThat(report.has(other.id(), TxReport.Kind.CONFIRMED)).isTrue();
            assertThat(m.submit(TxHarness.transfer("v-3", vault, h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .isInstanceOf(SubmitResult.Accepted.class);
        }
    }

    @Test
    void aTransactionNoNodeCanEverTakeIsRefusedAndItsNonceGoesToTheNext() {
        try (TxHarness h = TxHarness.automine()) {
            TxManager m = h.manager();
            TxRequest tooBig = new TxRequest(
                    "huge",
                    TxHarness.vault(1),
                    h.newRecipient(),
                    new byte[0],
                    Wei.ZERO,
                    2_000_000_000L,
                    TxHarness.gwei("10", "1"),
                    io.unwind.domain.tx.TxKind.OTHER,
                    io.unwind.domain.risk.Urgency.NONE,
                    "{}");
            TxDetail refused = ((SubmitResult.Accepted) m.submit(tooBig)).tx();
            assertThat(refused.tx().state()).isEqualTo(TxState.FATAL_ERROR);
            assertThat(refused.tx().error().orElseThrow()).contains("intrinsic gas too high");
            assertThat(refused.attempts().get(0).outcome()).contains(SendOutcome.FATAL);
            assertThat(h.counter(TxMetrics.BROADCAST_ERRORS, "class", "FATAL")).isEqualTo(1);

            Address to = h.newRecipient();
            TxDetail next = ((SubmitResult.Accepted) m.submit(
                            TxHarness.transfer("next", TxHarness.vault(1), to, VALUE, TxHarness.gwei("10", "1"))))
                    .tx();
            assertThat(next.tx().nonce()).hasValue(0);
            h.tickWhenMined(m);
            assertThat(h.detail(next.tx().id()).tx().state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.balance(to)).isEqualTo(VALUE);
        }
    }
}
