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
 * @param lltvWad the liquidation LTV (for an Aave vault, the live liquidation threshold its sale path is judged by)
 * @param flashPremiumBps what a sale that flash-borrows its repayment pays the protocol ({@link #flashPremium})
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
        boolean early,
        BigInteger lltvWad,
        int flashPremiumBps) {

    /**
     * AaveVault.DIRECT_MARGIN_BPS (a sale withdraws first only if the health factor stays at or above 1.0001) plus 50
     * bps: the keeper counts a premium unless the direct path is certain at the block its transaction lands in, where
     * interest or a new oracle price may have moved the health factor. Counting a premium the vault then does not
     * charge leaves it in the vault's reserve; missing one the vault charges would revert the sale.
     */
    static final int DIRECT_MARGIN_BPS = 1 + 50;

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
                early,
                h.lltv(),
                h.flashPremiumBps());
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
                early,
                lltvWad,
                flashPremiumBps);
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

    /**
     * Whether selling {@code sold} may take the vault's flash path: AaveVault withdraws first (no flash loan) only
     * while the health factor stays at or above 1.0001 with that collateral gone and nothing repaid yet, and otherwise
     * flash-borrows the repayment; the keeper judges it with the wider {@link #DIRECT_MARGIN_BPS}. A protocol without a
     * premium (Morpho Blue) never charges one.
     */
    boolean takesFlashLoan(BigInteger sold) {
        if (flashPremiumBps == 0) return false;
        if (sold.compareTo(collateral) >= 0) return true;
        BigInteger thresholdBps = lltvWad.divide(Ltv.BPS_TO_WAD);
        return value(collateral.subtract(sold))
                        .multiply(thresholdBps)
                        .compareTo(debt.multiply(Ltv.BPS.add(BigInteger.valueOf(DIRECT_MARGIN_BPS))))
                < 0;
    }

    /**
     * The flash-loan premium a sale of {@code sold} that requires {@code required} pays the pool: 0 on the direct path;
     * else {@code flashPremiumBps} of the loan, rounded half up as Aave's percentMul does, where the loan is the
     * requirement, or the whole debt when the requirement reaches it (the vault then repays all of it). The vault adds
     * it to what the sale must bring, so the keeper must too.
     */
    BigInteger flashPremium(BigInteger sold, BigInteger required) {
        if (!takesFlashLoan(sold)) return BigInteger.ZERO;
        BigInteger loan = required.min(debt);
        return loan.multiply(BigInteger.valueOf(flashPremiumBps))
                .add(Ltv.BPS.shiftRight(1))
                .divide(Ltv.BPS);
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
