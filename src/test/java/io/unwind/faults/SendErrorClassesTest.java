package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.local.PriceMover;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import io.unwind.testing.MarketFixture;
import io.unwind.tx.TxMetrics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Every error class of eth_sendRawTransaction (reference/tx-lifecycle.md), met by the running keeper while it saves a
 * vault: the proxy answers its broadcast with the node's own wording (or the chain really produces it), and the test
 * asserts what was signed, what the journal says, what the chain did and what was counted.
 */
@Tag("chain")
class SendErrorClassesTest extends OneVaultWorld {
    private Gauntlet.Running keeper() {
        return g.start(g.config(List.of(vault)));
    }

    /** Mines a block at a time until every journaled transaction is mined or given up, and none is left to send. */
    private void settle(Gauntlet.Running k) {
        g.mineUntil(
                () -> "the journal to settle; " + k.describe(vault),
                () -> !k.journal().isEmpty()
                        && k.journal().stream()
                                .allMatch(t -> t.state() == TxState.CONFIRMED
                                        || t.state() == TxState.FINALIZED
                                        || t.state() == TxState.FATAL_ERROR)
                        && !g.overTrigger(vault));
    }

    /** The vault saved by exactly one mined deleverage, which is the journal's one mined transaction. */
    private TxDetail savedOnce(Gauntlet.Running k, long from) {
        assertThat(g.deleverages(vault, from)).hasSize(1);
        assertThat(g.overTrigger(vault)).isFalse();
        List<TxRecord> mined = k.journal().stream()
                .filter(t -> t.state() == TxState.CONFIRMED || t.state() == TxState.FINALIZED)
                .toList();
        assertThat(mined).hasSize(1);
        TxDetail d = k.node.journal().detail(mined.get(0).id()).orElseThrow();
        assertThat(d.mined().orElseThrow().hash().hex())
                .isEqualTo(g.deleverages(vault, from).get(0).txHash().hex());
        return d;
    }

    private static void bothFeesRoseTenPercent(Eip1559Fees before, Eip1559Fees after) {
        assertThat(after.maxFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(before.maxFeePerGas().value().multiply(BigInteger.valueOf(110)));
        assertThat(after.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(before.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(110)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"intrinsic gas too low", "exceeds block gas limit", "invalid sender", "oversized data"})
    void aFatalRefusalGivesTheTransactionUpAndItsNonceGoesToTheNextAction(String wording) {
        long from = crash();
        var refusal = g.proxy.on("eth_sendRawTransaction").times(1).error(-32000, wording);
        Gauntlet.Running k = keeper();
        Gauntlet.await(
                "the refusal",
                () -> refusal.hits() == 1 && k.journal().stream().anyMatch(t -> t.state() == TxState.FATAL_ERROR));
        settle(k);
        TxDetail saved = savedOnce(k, from);
        TxRecord refused = k.journal().stream()
                .filter(t -> t.state() == TxState.FATAL_ERROR)
                .findFirst()
                .orElseThrow();
        assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e).contains(wording));
        assertThat(saved.tx().nonce().getAsLong())
                .as("the refused transaction's nonce was free")
                .isEqualTo(refused.nonce().getAsLong());
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "FATAL")).isEqualTo(1);
    }

    @Test
    void nonceTooLowFromANodeThatTookItAnywayCountsAsSent() {
        long from = crash();
        var liar = g.proxy.on("eth_sendRawTransaction").times(1).errorAfterForwarding(-32000, "nonce too low");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(liar.hits()).isEqualTo(1);
        assertThat(d.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains(SendOutcome.SENT));
        assertThat(k.journal()).hasSize(1);
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "NONCE_TOO_LOW"))
                .isEqualTo(1);
    }

    @Test
    void alreadyKnownCountsAsSent() {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(1).errorAfterForwarding(-32000, "already known");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains(SendOutcome.SENT));
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "TREAT_AS_SENT"))
                .isEqualTo(1);
    }

    @Test
    void replacementUnderpricedIsBumpedAtOnceWithBothFeesUpTenPercent() {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(1).error(-32000, "replacement transaction underpriced");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).hasSize(2);
        bothFeesRoseTenPercent(d.attempts().get(0).fees(), d.attempts().get(1).fees());
        assertThat(d.mined().orElseThrow().number()).isEqualTo(2);
        assertThat(d.attempts()).extracting(AttemptRecord::hash).doesNotHaveDuplicates();
        assertThat(k.counter(TxMetrics.REPLACEMENTS)).isEqualTo(1);
    }

    @Test
    void transactionUnderpricedIsBumped() {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(1).error(-32000, "transaction underpriced");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).hasSize(2);
        bothFeesRoseTenPercent(d.attempts().get(0).fees(), d.attempts().get(1).fees());
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "UNDERPRICED_BUMP"))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"txpool is full", "nonce too high"})
    void aRetryableRefusalSendsTheSameBytesAgainLater(String wording) {
        long from = crash();
        var refusal = g.proxy.on("eth_sendRawTransaction").times(2).error(-32000, wording);
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(refusal.hits()).isEqualTo(2);
        assertThat(d.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.broadcastCount()).isGreaterThanOrEqualTo(3));
        // The node was given the same signed bytes every time.
        assertThat(g.proxy.broadcasts())
                .hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(d.attempts().get(0).signedRawHex());
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503, 429})
    void anHttpErrorOnBroadcastIsRetriedWithTheSameBytes(int status) {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(3).status(status);
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).hasSize(1);
        assertThat(g.proxy.broadcasts()).containsOnly(d.attempts().get(0).signedRawHex());
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "TRANSIENT_RETRY"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBroadcastThatTimesOutAfterTheNodeTookItIsNotSentTwice() {
        long from = crash();
        // The node gets the transaction, but the answer comes after the keeper stopped waiting.
        g.proxy.on("eth_sendRawTransaction").times(1).delay(Duration.ofMillis(2500));
        Gauntlet.Running k = g.start(Gauntlet.withCallTimeout(g.config(List.of(vault)), Duration.ofSeconds(1), 1));
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).singleElement();
        assertThat(g.proxy.broadcasts()).containsOnly(d.attempts().get(0).signedRawHex());
        assertThat(g.keeperNonce()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void anUnknownAnswerAfterTheNodeTookItIsSettledFromThePendingNonce() {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(1).errorAfterForwarding(-32603, "internal error: backend hiccup");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).singleElement();
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "UNKNOWN")).isEqualTo(1);
    }

    @Test
    void anUnknownAnswerFromANodeThatDidNotTakeItIsSentAgainUnchanged() {
        long from = crash();
        g.proxy.on("eth_sendRawTransaction").times(1).error(-32603, "internal error: backend hiccup");
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.broadcastCount()).isGreaterThanOrEqualTo(2));
        assertThat(g.proxy.broadcasts())
                .hasSizeGreaterThanOrEqualTo(2)
                .containsOnly(d.attempts().get(0).signedRawHex());
    }

    @Test
    void aKeeperThatCannotPayGasHoldsTheSignedBytesAndSendsThemUnchangedOnceFunded() {
        long from = crash();
        Wei before = g.f.client.balance(g.keeper);
        g.f.chain.setBalance(g.keeper.hex(), Wei.of(1_000));
        Gauntlet.Running k = keeper();
        // The transaction is journaled before its first attempt is signed: until then it has no latest attempt.
        Gauntlet.await(
                "the keeper to be held",
                () -> !k.journal().isEmpty()
                        && k.node.journal()
                                .detail(k.journal().get(0).id())
                                .orElseThrow()
                                .latest()
                                .flatMap(AttemptRecord::outcome)
                                .equals(Optional.of(SendOutcome.HELD)));
        assertThat(k.journal())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TxState.IN_PROGRESS));
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "INSUFFICIENT_FUNDS_HOLD"))
                .isGreaterThanOrEqualTo(1);
        assertThat(g.overTrigger(vault)).isTrue();

        g.f.chain.setBalance(g.keeper.hex(), before);
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts()).singleElement();
        assertThat(g.proxy.broadcasts()).containsOnly(d.attempts().get(0).signedRawHex());
    }

    @Test
    void aNonceTakenByATransactionTheKeeperDidNotSignIsFoundAndTheActionGoesOutAtTheNextNonce() {
        g.f.chain.setAutomine(false);
        // Its own mover: noWait() is for good, and the shared one must keep waiting (after the next revert, a mover
        // that does not wait sends at nonces the reverted chain has not reached, and the price never moves).
        PriceMover unmined = new PriceMover(g.f.web3j, g.f.market).noWait();
        unmined.moveTo(new BigDecimal("2700"));
        g.f.chain.mine(1);
        unmined.settle();
        long from = g.f.chain.blockNumber();
        Gauntlet.Running k = keeper();
        Gauntlet.await(
                "the deleverage to be in the pool",
                () -> !g.proxy.broadcasts().isEmpty()
                        && k.journal().stream().anyMatch(t -> t.state() == TxState.UNCONFIRMED));
        TxRecord first = k.journal().get(0);

        // Someone with the keeper's key sends a transfer at the same nonce, paying more: it replaces the deleverage.
        var fees = k.node.journal()
                .detail(first.id())
                .orElseThrow()
                .latest()
                .orElseThrow()
                .fees();
        RawTransaction other = RawTransaction.createTransaction(
                31337,
                BigInteger.valueOf(first.nonce().getAsLong()),
                BigInteger.valueOf(21_000),
                g.keeper.hex(),
                BigInteger.ZERO,
                "0x",
                fees.maxPriorityFeePerGas().value().multiply(BigInteger.TWO),
                fees.maxFeePerGas().value().multiply(BigInteger.TWO));
        String otherRaw = Numeric.toHexString(TransactionEncoder.signMessage(other, MarketFixture.KEEPER));
        String otherHash = Gauntlet.hashOf(otherRaw);
        g.f.chain.rpc("eth_sendRawTransaction", otherRaw);

        g.f.chain.setAutomine(true);
        g.mineUntil(
                "the vault to be saved",
                () -> !g.overTrigger(vault)
                        && k.journal().stream()
                                .allMatch(t -> t.state() != TxState.UNCONFIRMED && t.state() != TxState.IN_PROGRESS));
        TxDetail saved = savedOnce(k, from);
        TxRecord taken = k.node.journal().find(first.id()).orElseThrow();
        assertThat(taken.state()).isEqualTo(TxState.FATAL_ERROR);
        assertThat(taken.error()).hasValueSatisfying(e -> assertThat(e).contains(otherHash, "did not sign"));
        assertThat(saved.tx().nonce().getAsLong()).isEqualTo(first.nonce().getAsLong() + 1);
        assertThat(k.counter(TxMetrics.NONCE_TAKEN)).isEqualTo(1);
    }

    @Test
    void aNonceUsedBeforeTheKeeperStartedIsSkippedNotReused() {
        long from = crash();
        // The operator used the key by hand: nonce 0 is mined before the keeper starts.
        RawTransaction manual = RawTransaction.createTransaction(
                31337,
                BigInteger.ZERO,
                BigInteger.valueOf(21_000),
                g.keeper.hex(),
                BigInteger.ZERO,
                "0x",
                Wei.gwei(1).value(),
                Wei.gwei(100).value());
        g.f.chain.rpc(
                "eth_sendRawTransaction",
                Numeric.toHexString(TransactionEncoder.signMessage(manual, MarketFixture.KEEPER)));
        Gauntlet.Running k = keeper();
        settle(k);
        TxDetail d = savedOnce(k, from);
        assertThat(d.tx().nonce().getAsLong()).isEqualTo(1);
        assertThat(k.counter(TxMetrics.BROADCAST_ERRORS, "class", "NONCE_TOO_LOW"))
                .isZero();
    }
}
