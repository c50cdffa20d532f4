package io.unwind.domain.plan;

import io.unwind.domain.money.Token;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;

/**
 * The numbers one decision works with, all in base units and WADs, as the contract would see them at the same oracle
 * price. {@code ltvBefore} is recomputed with {@link Ltv#ltv} rather than taken from the lens so that before and after
 * are judged by the same arithmetic.
 */
record Snapshot(
        BigInteger collateral,
        BigInteger debt,
        BigInteger price,
        BigInteger ltvBefore,
        BigInteger triggerWad,
        BigInteger targetWad,
        BigInteger floorWad,
        BigInteger ceilingWad,
        int maxSlippageBps,
        int maxSellBps,
        Token loanToken,
        Token collateralToken) {

    static Snapshot of(VaultHealth h, KeeperSettings settings) {
        Policy p = h.policy();
        return new Snapshot(
                h.collateral(),
                h.debt(),
                h.price(),
                Ltv.ltv(h.collateral(), h.debt(), h.price()),
                Ltv.bpsToWad(p.triggerLtvBps()),
                Ltv.bpsToWad(p.targetLtvBps()),
                // The contract's no-oversell floor: bpsToWad(target - band), exact.
                Ltv.bpsToWad(p.targetLtvBps() - p.bandBps()),
                Ltv.bpsToWad(p.targetLtvBps() + settings.targetToleranceBps()),
                p.maxSlippageBps(),
                p.maxSellBps(),
                h.loanToken(),
                h.collateralToken());
    }

    /** The same market and policy with another position (for estimating the chunks that follow). */
    Snapshot withPosition(BigInteger newCollateral, BigInteger newDebt) {
        return new Snapshot(
                newCollateral,
                newDebt,
                price,
                Ltv.ltv(newCollateral, newDebt, price),
                triggerWad,
                targetWad,
                floorWad,
                ceilingWad,
                maxSlippageBps,
                maxSellBps,
                loanToken,
                collateralToken);
    }

    BigInteger value(BigInteger collateralUnits) {
        return Ltv.collateralValue(collateralUnits, price);
    }

    /** The contract's per-call cap: collateral * maxSellBps / 10_000, rounded down as the contract does. */
    BigInteger maxSell() {
        return collateral.multiply(BigInteger.valueOf(maxSellBps)).divide(Ltv.BPS);
    }

    boolean inTargetRange(BigInteger ltv) {
        return ltv.compareTo(floorWad) >= 0 && ltv.compareTo(ceilingWad) <= 0;
    }
}
