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
 *
 * @param reserve loan tokens the vault holds (part of the owner's equity)
 * @param equityAllowance how much one keeper action may lower the owner's equity at the oracle price
 *     ({@link #equityAllowance(BigInteger, BigInteger, BigInteger, BigInteger, Policy)})
 * @param windowSellLeft collateral the rate limit lets keepers sell now (the whole collateral without a window)
 * @param early under the hard trigger, at or above the owner's soft trigger: the vault accepts only an action that ends
 *     at or under the target ({@code SoftActionIncomplete} otherwise), so the target aimed at is a tolerance under it
 *     (not under the floor) and the ceiling is the target itself
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
        int maxFeeBps,
        int maxSellBps,
        BigInteger reserve,
        BigInteger equityAllowance,
        BigInteger windowSellLeft,
        Token loanToken,
        Token collateralToken,
        boolean early) {

    /**
     * The least LTV drop, as a WAD, of a sale that does not end under the trigger (UnwindVault.MIN_LTV_DROP, 0.1
     * point): a smaller one reverts {@code NotDeleveraged}.
     */
    static final BigInteger MIN_LTV_DROP = BigInteger.TEN.pow(15);

    static Snapshot of(VaultHealth h, KeeperSettings settings) {
        Policy p = h.policy();
        boolean early = h.inSoftZone();
        int floorBps = p.targetLtvBps() - p.bandBps();
        int tolerance = settings.targetToleranceBps();
        return new Snapshot(
                h.collateral(),
                h.debt(),
                h.price(),
                Ltv.ltv(h.collateral(), h.debt(), h.price()),
                Ltv.bpsToWad(p.triggerLtvBps()),
                Ltv.bpsToWad(early ? Math.max(floorBps, p.targetLtvBps() - tolerance) : p.targetLtvBps()),
                // The contract's no-oversell floor: bpsToWad(target - band), exact.
                Ltv.bpsToWad(floorBps),
                Ltv.bpsToWad(p.targetLtvBps() + (early ? 0 : tolerance)),
                p.maxSlippageBps(),
                p.maxFeeBps(),
                p.maxSellBps(),
                h.reserve(),
                equityAllowance(h.collateral(), h.debt(), h.price(), h.reserve(), p.maxSlippageBps(), p.maxFeeBps()),
                h.windowSellLeft(),
                h.loanToken(),
                h.collateralToken(),
                early);
    }

    /**
     * How much a keeper action may lower the owner's equity at the oracle price, as the vault computes it at the
     * action's snapshot: equity = collateral value (rounded down) + reserve - debt, and the allowance is
     * {@code max(equity, 0) * (maxSlippageBps + maxFeeBps) / 10_000}, rounded down. A fee above it reverts
     * {@code EquityLoss}; a sale must repay at least the value sold (rounded up) minus it.
     */
    static BigInteger equityAllowance(
            BigInteger collateral,
            BigInteger debt,
            BigInteger price,
            BigInteger reserve,
            int maxSlippageBps,
            int maxFeeBps) {
        BigInteger assets = Ltv.collateralValue(collateral, price).add(reserve);
        if (assets.compareTo(debt) <= 0) return BigInteger.ZERO;
        return assets.subtract(debt)
                .multiply(BigInteger.valueOf((long) maxSlippageBps + maxFeeBps))
                .divide(Ltv.BPS);
    }

    /**
     * The same market and policy with another position (for estimating the chunks that follow): the reserve as before
     * (a sale's surplus is left out), the allowance recomputed the vault's way, and {@code windowLeft} to sell.
     */
    Snapshot withPosition(BigInteger newCollateral, BigInteger newDebt, BigInteger windowLeft) {
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
                maxFeeBps,
                maxSellBps,
                reserve,
                equityAllowance(newCollateral, newDebt, price, reserve, maxSlippageBps, maxFeeBps),
                windowLeft.max(BigInteger.ZERO),
                loanToken,
                collateralToken,
                early);
    }

    BigInteger value(BigInteger collateralUnits) {
        return Ltv.collateralValue(collateralUnits, price);
    }

    /**
     * The vault's equity floor for selling {@code collateral}: the value sold, rounded up, minus the allowance (0 when
     * the allowance covers it). A sale must repay at least this, so that it cannot lower the owner's equity at the
     * oracle price by more than the allowance: near LTV = 1 - maxSlippage the oracle floor alone would let one sale
     * destroy most of the equity.
     */
    BigInteger equityFloor(BigInteger collateral) {
        BigInteger valueSold = Ltv.divUp(collateral.multiply(price), Ltv.PRICE_SCALE);
        return valueSold.subtract(equityAllowance).max(BigInteger.ZERO);
    }

    /** The contract's per-call cap: collateral * maxSellBps / 10_000, rounded down as the contract does. */
    BigInteger maxSell() {
        return collateral.multiply(BigInteger.valueOf(maxSellBps)).divide(Ltv.BPS);
    }

    /** The most one sale may take: the per-call cap and what the rate limit's window has left. */
    BigInteger sellCap() {
        return maxSell().min(windowSellLeft);
    }

    boolean inTargetRange(BigInteger ltv) {
        return ltv.compareTo(floorWad) >= 0 && ltv.compareTo(ceilingWad) <= 0;
    }

    /**
     * The contract's post-check of a sale that leaves LTV at {@code ltvAfter}: lower than before, and by at least
     * {@link #MIN_LTV_DROP} unless it ends under the trigger ({@code NotDeleveraged} otherwise).
     */
    boolean saleProgresses(BigInteger ltvAfter) {
        if (ltvAfter.compareTo(ltvBefore) >= 0) return false;
        return ltvAfter.compareTo(triggerWad) < 0 || ltvAfter.add(MIN_LTV_DROP).compareTo(ltvBefore) <= 0;
    }
}
