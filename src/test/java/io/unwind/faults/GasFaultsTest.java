package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.metrics.KeeperMetrics;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.VaultOutcome;
import io.unwind.store.AttemptRecord;
import io.unwind.store.TxDetail;
import io.unwind.tx.TxMetrics;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * Gas spikes and stuck transactions, met by the running keeper while it saves a vault (threats.md: "wait under the cap
 * while healthy; raise up to the emergency cap as liquidation nears; never stall silently"; "same nonce, fee bumped >=
 * 10% on both fields"). The base fee is really raised on the chain (anvil_setNextBlockBaseFeePerGas), so a transaction
 * priced under it really is not included; the tests read the fees from the journal and from the signed bytes the proxy
 * saw.
 */
@Tag("chain")
class GasFaultsTest extends OneVaultWorld {
    /**
     * A 3% slippage cap. These tests are about what the keeper pays for gas when one sale saves the vault; at 84.7% LTV
     * a single sale to the target under a 1% cap would lose more of the equity than the vault's equity bound allows
     * (1.5% of it), so the planner cuts it into chunks and, the first chunk having taken the vault away from
     * liquidation, waits out the spike for the rest (HardenedVaultPlannerTest and ChunkedSaleTest cover that).
     */
    @Override
    io.unwind.domain.position.Policy policy() {
        io.unwind.domain.position.Policy p = super.policy();
        return new io.unwind.domain.position.Policy(
                p.triggerLtvBps(),
                p.targetLtvBps(),
                p.bandBps(),
                300,
                p.maxFeeBps(),
                p.maxSellBps(),
                p.cooldown(),
                p.maxGasPrice());
    }

    private static final Wei NORMAL_CAP = Wei.gwei(10);
    private static final Wei EMERGENCY_CAP = Wei.gwei(100);

    @BeforeEach
    void lowBaseFee() {
        // After the checkpoint is back (OneVaultWorld.clean). A base fee raised by an earlier test is not part of the
        // checkpoint: start every test from a low one.
        g.f.chain.setNextBlockBaseFee(Wei.gwei(1));
        g.f.chain.mine(1);
    }

    private Gauntlet.Running keeper(String normalCapGwei, String emergencyCapGwei, int stuckAfterBlocks) {
        return g.start(Gauntlet.withGas(g.config(List.of(vault)), normalCapGwei, emergencyCapGwei, stuckAfterBlocks));
    }

    private Gauntlet.Running keeperWithCaps() {
        return keeper("10", "100", 3);
    }

    /** Raises the base fee of the next block to {@code fee} and mines it: from then on the market is priced from it. */
    private void spike(Wei fee) {
        g.f.chain.setNextBlockBaseFee(fee);
        g.f.chain.mine(1);
        assertThat(g.baseFee(g.f.chain.blockNumber())).isEqualTo(fee);
    }

    /** Mines until the vault is saved, every block at base fee {@code fee}: a spike that does not fade. */
    private void mineHoldingBaseFee(Wei fee, Gauntlet.Running k) {
        g.f.chain.setNextBlockBaseFee(fee);
        g.mineUntil(() -> "the vault to be saved at base fee " + fee + "; " + k.describe(vault), () -> {
            if (saved(k)) return true;
            g.f.chain.setNextBlockBaseFee(fee);
            return false;
        });
    }

    private boolean saved(Gauntlet.Running k) {
        return !g.overTrigger(vault)
                && !k.journal().isEmpty()
                && k.journal().stream().allMatch(t -> t.state() == TxState.CONFIRMED || t.state() == TxState.FINALIZED);
    }

    /** The vault saved by exactly one deleverage, which is the journal's one transaction; its detail. */
    private TxDetail savedOnce(Gauntlet.Running k, long from) {
        assertThat(g.overTrigger(vault)).isFalse();
        var h = g.health(vault);
        assertThat(h.ltv()).isLessThan(Ltv.bpsToWad(h.policy().triggerLtvBps()));
        assertThat(g.deleverages(vault, from)).hasSize(1);
        TxDetail d = k.only();
        assertThat(d.mined().orElseThrow().hash().hex())
                .isEqualTo(g.deleverages(vault, from).get(0).txHash().hex());
        return d;
    }

    private List<VaultOutcome> waits(Gauntlet.Running k) {
        return k.outcomes(vault).stream()
                .filter(o -> o.kind() == VaultOutcome.Kind.WAITING_FOR_GAS)
                .toList();
    }

    private static Wei maxFee(Transaction1559 t) {
        return Wei.of(t.getMaxFeePerGas());
    }

    private static void bothFeesRoseTenPercent(Eip1559Fees before, Eip1559Fees after) {
        assertThat(after.maxFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(before.maxFeePerGas().value().multiply(BigInteger.valueOf(110)));
        assertThat(after.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(before.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(110)));
    }

    @Test
    void overTheTriggerButFarFromLiquidationAGasSpikeIsWaitedOutUnderTheNormalCap() {
        g.f.movePrice("2790"); // 75.3%: just over the trigger, 10 points from the LLTV
        assertThat(g.overTrigger(vault)).isTrue();
        long from = g.f.chain.blockNumber();
        spike(Wei.gwei(40));
        Gauntlet.Running k = keeperWithCaps();

        k.awaitTick(
                "the keeper to wait for gas",
                t -> t.outcomes().stream().anyMatch(o -> o.kind() == VaultOutcome.Kind.WAITING_FOR_GAS));
        // A few more blocks, the base fee still over the normal cap: nothing is journaled, signed or broadcast.
        for (int i = 0; i < 3; i++) {
            g.f.chain.mine(1);
            k.awaitTickAt(g.f.chain.blockNumber());
        }
        assertThat(g.baseFee(g.f.chain.blockNumber())).isGreaterThan(NORMAL_CAP);
        assertThat(k.journal()).isEmpty();
        assertThat(g.proxy.broadcasts()).isEmpty();
        assertThat(waits(k))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.detail()).contains("normal cap 10", "waiting for gas to fall"));
        // Not silent: waiting ticks are counted where an operator looks.
        assertThat(k.counter(KeeperMetrics.OUTCOMES, "kind", "WAITING_FOR_GAS")).isGreaterThanOrEqualTo(4);

        // Empty blocks lower the base fee by an eighth each; once a transaction under the cap can be included, it goes.
        g.mineUntil(() -> "the vault to be saved; " + k.describe(vault), () -> saved(k));
        TxDetail d = savedOnce(k, from);
        assertThat(d.attempts())
                .allSatisfy(a -> assertThat(a.fees().maxFeePerGas()).isLessThanOrEqualTo(NORMAL_CAP));
        assertThat(g.proxy.broadcasts())
                .isNotEmpty()
                .allSatisfy(raw -> assertThat(maxFee(Gauntlet.decode(raw))).isLessThanOrEqualTo(NORMAL_CAP));
        long minedIn = d.tx().confirmation().orElseThrow().blockNumber();
        assertThat(g.baseFee(minedIn)).isLessThanOrEqualTo(NORMAL_CAP);
        assertThat(d.tx().confirmation().orElseThrow().feePaid().value())
                .isLessThanOrEqualTo(NORMAL_CAP
                        .value()
                        .multiply(BigInteger.valueOf(
                                d.tx().confirmation().orElseThrow().gasUsed())));
    }

    @Test
    void whileTheKeeperWaitsForGasAPriceFallTowardsLiquidationMakesItPayUpToTheEmergencyCap() {
        g.f.movePrice("2790");
        long from = g.f.chain.blockNumber();
        spike(Wei.gwei(40));
        Gauntlet.Running k = keeperWithCaps();
        k.awaitTick(
                "the keeper to wait for gas",
                t -> t.outcomes().stream().anyMatch(o -> o.kind() == VaultOutcome.Kind.WAITING_FOR_GAS));
        assertThat(g.proxy.broadcasts()).isEmpty();

        // The base fee is held up; the price falls to 84.7% LTV, 1.3 points from the LLTV.
        g.f.chain.setNextBlockBaseFee(Wei.gwei(40));
        g.f.movePrice("2480");
        mineHoldingBaseFee(Wei.gwei(40), k);
        TxDetail d = savedOnce(k, from);
        Wei fee = d.mined().orElseThrow().fees().maxFeePerGas();
        assertThat(fee).isGreaterThan(NORMAL_CAP).isLessThanOrEqualTo(EMERGENCY_CAP);
        assertThat(g.proxy.broadcasts())
                .isNotEmpty()
                .allSatisfy(raw -> assertThat(maxFee(Gauntlet.decode(raw))).isLessThanOrEqualTo(EMERGENCY_CAP));
        assertThat(waits(k)).isNotEmpty().allSatisfy(o -> assertThat(o.detail()).contains("normal cap"));
    }

    @Test
    void nearLiquidationAGasSpikeIsPaidUpToTheEmergencyCapAndTheVaultIsSaved() {
        g.f.movePrice("2480"); // 84.7%: 1.3 points from the LLTV
        long from = g.f.chain.blockNumber();
        // Held at 80 gwei: the market's fee cap (2 x next base fee + tip, over 140 gwei) is over the emergency cap,
        // next base fee + tip is under it. The transaction can be included at the cap, so it is sent at the cap.
        spike(Wei.gwei(80));
        g.f.chain.setNextBlockBaseFee(Wei.gwei(80));
        Gauntlet.Running k = keeperWithCaps();
        mineHoldingBaseFee(Wei.gwei(80), k);

        TxDetail d = savedOnce(k, from);
        assertThat(waits(k)).isEmpty();
        AttemptRecord mined = d.mined().orElseThrow();
        assertThat(mined.fees().maxFeePerGas())
                .isGreaterThan(NORMAL_CAP)
                .isLessThanOrEqualTo(EMERGENCY_CAP)
                .isEqualTo(EMERGENCY_CAP);
        Transaction1559 signed = Gauntlet.decode(mined.signedRawHex());
        assertThat(maxFee(signed)).isEqualTo(mined.fees().maxFeePerGas());
        assertThat(g.proxy.broadcasts())
                .contains(mined.signedRawHex())
                .allSatisfy(raw -> assertThat(maxFee(Gauntlet.decode(raw))).isLessThanOrEqualTo(EMERGENCY_CAP));
        // It really paid more than the normal cap allows: the block it got into was priced over it.
        long minedIn = d.tx().confirmation().orElseThrow().blockNumber();
        assertThat(g.baseFee(minedIn)).isGreaterThan(NORMAL_CAP);
    }

    @Test
    void aStuckTransactionIsReplacedAtTheSameNonceWithBothFeesRaisedAtLeastTenPercent() {
        g.f.movePrice("2700");
        long from = g.f.chain.blockNumber();
        g.f.chain.setAutomine(false);
        Gauntlet.Running k = keeper("50", "500", 2);
        Gauntlet.await(
                "the deleverage to be in the pool",
                () -> g.proxy.broadcasts().size() == 1
                        && k.journal().stream().anyMatch(t -> t.state() == TxState.UNCONFIRMED));
        AttemptRecord first = k.only().latest().orElseThrow();

        // The base fee jumps to ten times the fee cap it was signed with: it cannot be included for many blocks (the
        // base fee falls by at most an eighth a block), but a replacement priced for the new base fee can.
        Wei jump = first.fees().maxFeePerGas().times(10);
        g.f.chain.setNextBlockBaseFee(jump);
        long spikedAt = g.f.chain.blockNumber() + 1;
        g.mineUntil(() -> "the vault to be saved; " + k.describe(vault), () -> saved(k));
        g.f.chain.setAutomine(true);

        TxDetail d = savedOnce(k, from);
        List<AttemptRecord> attempts = d.attempts();
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts.get(0).hash()).isEqualTo(first.hash());
        for (int i = 1; i < attempts.size(); i++)
            bothFeesRoseTenPercent(attempts.get(i - 1).fees(), attempts.get(i).fees());
        assertThat(d.mined().orElseThrow().number()).isGreaterThan(1);
        assertThat(g.baseFee(spikedAt)).isGreaterThan(first.fees().maxFeePerGas());
        assertThat(k.counter(TxMetrics.REPLACEMENTS)).isEqualTo(attempts.size() - 1);

        // What the node was given: the journaled bytes, every one at the same nonce, fees as journaled.
        List<String> sent = g.proxy.broadcasts().stream().distinct().toList();
        assertThat(sent)
                .containsExactlyElementsOf(
                        attempts.stream().map(AttemptRecord::signedRawHex).toList());
        long nonce = d.tx().nonce().getAsLong();
        for (int i = 0; i < sent.size(); i++) {
            Transaction1559 t = Gauntlet.decode(sent.get(i));
            assertThat(t.getNonce()).isEqualTo(BigInteger.valueOf(nonce));
            assertThat(Wei.of(t.getMaxFeePerGas()))
                    .isEqualTo(attempts.get(i).fees().maxFeePerGas());
            assertThat(Wei.of(t.getMaxPriorityFeePerGas()))
                    .isEqualTo(attempts.get(i).fees().maxPriorityFeePerGas());
            if (i > 0) {
                Transaction1559 before = Gauntlet.decode(sent.get(i - 1));
                assertThat(t.getMaxFeePerGas().multiply(BigInteger.valueOf(100)))
                        .isGreaterThanOrEqualTo(before.getMaxFeePerGas().multiply(BigInteger.valueOf(110)));
                assertThat(t.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(100)))
                        .isGreaterThanOrEqualTo(before.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(110)));
            }
        }
        // One transaction at that nonce was mined, and it is the keeper's next nonce's only user.
        assertThat(g.keeperNonce()).isEqualTo(BigInteger.valueOf(nonce + 1));
    }
}
