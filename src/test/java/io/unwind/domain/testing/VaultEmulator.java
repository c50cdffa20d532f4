package io.unwind.domain.testing;

import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Instant;

/**
 * The keeper-facing checks of contracts/src/UnwindVault.sol, transcribed line by line for tests, independent of the
 * planner's code: {@code topUp} and {@code deleverage} at the snapshot's own price, with a router that delivers a given
 * amount. Interest and Morpho's share rounding are left out (assets in, assets out).
 */
public final class VaultEmulator {
    /** UnwindVault.MIN_LTV_DROP. */
    static final BigInteger MIN_LTV_DROP = BigInteger.TEN.pow(15);

    private VaultEmulator() {}

    /** What the call did, or the name of the custom error it reverted with. */
    public record Outcome(
            String error, BigInteger repaid, BigInteger ltvBefore, BigInteger ltvAfter, BigInteger surplus) {
        public boolean ok() {
            return error == null;
        }

        static Outcome revert(String error) {
            return new Outcome(error, null, null, null, null);
        }
    }

    public static Outcome deleverage(
            VaultHealth h,
            BigInteger collateralAmount,
            BigInteger minRepaid,
            BigInteger keeperFee,
            BigInteger delivered,
            Wei txGasPrice,
            Instant blockTime) {
        Policy s = h.policy();
        String keeperCheck = checkKeeperCall(h, blockTime);
        if (keeperCheck != null) return Outcome.revert(keeperCheck);
        if (collateralAmount.signum() == 0) return Outcome.revert("ZeroAmount");
        BigInteger ltvBefore = Ltv.ltv(h.collateral(), h.debt(), h.price());
        if (ltvBefore.compareTo(Ltv.bpsToWad(s.triggerLtvBps())) < 0) return Outcome.revert("BelowTrigger");
        if (!h.priceFresh()) return Outcome.revert(priceGuardError(h));
        BigInteger allowance = equityAllowance(h);
        // _countSale: ceil(amount * BPS / collateral) against the window's share left.
        BigInteger soldBps =
                h.collateral().signum() == 0 ? Ltv.BPS : Ltv.divUp(collateralAmount.multiply(Ltv.BPS), h.collateral());
        if (soldBps.compareTo(BigInteger.valueOf(h.guard().windowSellLeftBps())) > 0)
            return Outcome.revert("WindowExceeded");
        BigInteger maxSell =
                h.collateral().multiply(BigInteger.valueOf(s.maxSellBps())).divide(Ltv.BPS);
        if (collateralAmount.compareTo(maxSell) > 0) return Outcome.revert("SellTooLarge");
        BigInteger floor = minRepaid.max(Ltv.oracleFloor(collateralAmount, h.price(), s.maxSlippageBps()));
        BigInteger valueSold = Ltv.divUp(collateralAmount.multiply(h.price()), Ltv.PRICE_SCALE);
        if (keeperFee.compareTo(allowance) > 0) return Outcome.revert("EquityLoss");
        BigInteger equityFloor = valueSold.compareTo(allowance) > 0 ? valueSold.subtract(allowance) : BigInteger.ZERO;
        BigInteger required = floor.max(equityFloor);
        BigInteger repaid = required.compareTo(h.debt()) >= 0 ? h.debt() : required;
        BigInteger premium = aaveFlashPremium(h, collateralAmount, required);
        if (delivered.compareTo(required.add(keeperFee).add(premium)) < 0)
            return Outcome.revert("InsufficientProceeds");
        String fee = payKeeper(s, keeperFee, repaid, txGasPrice);
        if (fee != null) return Outcome.revert(fee);
        return finish(
                s,
                ltvBefore,
                h,
                h.collateral().subtract(collateralAmount),
                repaid,
                delivered.subtract(required).subtract(keeperFee).subtract(premium),
                true);
    }

    /**
     * AaveVault._repayWithSale: the direct path when the health factor stays >= 1.0001 with the collateral withdrawn
     * and nothing repaid (valueLeft * threshold >= debt * (BPS + 1)), else a flash loan of the requirement (the whole
     * debt when it reaches it) whose premium, percentMul (half up), the sale must bring too. Morpho vaults report
     * premium 0.
     */
    public static BigInteger aaveFlashPremium(VaultHealth h, BigInteger sold, BigInteger required) {
        if (h.flashPremiumBps() == 0) return BigInteger.ZERO;
        if (sold.compareTo(h.collateral()) < 0) {
            BigInteger valueLeft = Ltv.collateralValue(h.collateral().subtract(sold), h.price());
            BigInteger thresholdBps = h.lltv().divide(Ltv.BPS_TO_WAD);
            if (valueLeft.multiply(thresholdBps).compareTo(h.debt().multiply(Ltv.BPS.add(BigInteger.ONE))) >= 0)
                return BigInteger.ZERO;
        }
        BigInteger loan = required.compareTo(h.debt()) >= 0 ? h.debt() : required;
        return loan.multiply(BigInteger.valueOf(h.flashPremiumBps()))
                .add(BigInteger.valueOf(5_000))
                .divide(Ltv.BPS);
    }

    public static Outcome topUp(
            VaultHealth h, BigInteger amount, BigInteger keeperFee, Wei txGasPrice, Instant blockTime) {
        Policy s = h.policy();
        String keeperCheck = checkKeeperCall(h, blockTime);
        if (keeperCheck != null) return Outcome.revert(keeperCheck);
        if (amount.signum() == 0) return Outcome.revert("ZeroAmount");
        if (amount.add(keeperFee).compareTo(h.reserve()) > 0) return Outcome.revert("InsufficientReserve");
        BigInteger ltvBefore = Ltv.ltv(h.collateral(), h.debt(), h.price());
        if (ltvBefore.compareTo(Ltv.bpsToWad(s.triggerLtvBps())) < 0) return Outcome.revert("BelowTrigger");
        if (!h.priceFresh()) return Outcome.revert(priceGuardError(h));
        if (keeperFee.compareTo(equityAllowance(h)) > 0) return Outcome.revert("EquityLoss");
        BigInteger repaid = amount.compareTo(h.debt()) >= 0 ? h.debt() : amount;
        String fee = payKeeper(s, keeperFee, repaid, txGasPrice);
        if (fee != null) return Outcome.revert(fee);
        return finish(s, ltvBefore, h, h.collateral(), repaid, BigInteger.ZERO, false);
    }

    /** _snapshot: (collateral value + reserve - debt) * (maxSlippageBps + maxFeeBps) / BPS, 0 without equity. */
    public static BigInteger equityAllowance(VaultHealth h) {
        Policy s = h.policy();
        BigInteger assets = Ltv.collateralValue(h.collateral(), h.price()).add(h.reserve());
        if (assets.compareTo(h.debt()) <= 0) return BigInteger.ZERO;
        return assets.subtract(h.debt())
                .multiply(BigInteger.valueOf((long) s.maxSlippageBps() + s.maxFeeBps()))
                .divide(Ltv.BPS);
    }

    private static String priceGuardError(VaultHealth h) {
        return switch (h.guard().priceStatus()) {
            case STALE -> "PriceStale";
            case DEVIATION -> "PriceDeviation";
            default -> "PriceFeedFailed";
        };
    }

    private static String checkKeeperCall(VaultHealth h, Instant blockTime) {
        Policy s = h.policy();
        if (!h.keeperAllowed()) return "NotKeeper";
        if (h.paused()) return "IsPaused";
        if (s.triggerLtvBps() == 0) return "PolicyNotSet";
        if (!s.cooldown().isZero() && blockTime.isBefore(h.lastActionAt().plus(s.cooldown()))) return "CoolingDown";
        if (h.price().signum() == 0) return "BadPrice";
        return null;
    }

    private static String payKeeper(Policy s, BigInteger fee, BigInteger repaid, Wei txGasPrice) {
        if (fee.signum() == 0) return null;
        BigInteger maxFee = txGasPrice.compareTo(s.maxGasPrice()) > 0
                ? BigInteger.ZERO
                : repaid.multiply(BigInteger.valueOf(s.maxFeeBps())).divide(Ltv.BPS);
        return fee.compareTo(maxFee) > 0 ? "FeeTooHigh" : null;
    }

    private static Outcome finish(
            Policy s,
            BigInteger ltvBefore,
            VaultHealth h,
            BigInteger collateralAfter,
            BigInteger repaid,
            BigInteger surplus,
            boolean sale) {
        BigInteger debtAfter = h.debt().subtract(repaid);
        BigInteger ltvAfter = Ltv.ltv(collateralAfter, debtAfter, h.price());
        if (debtAfter.compareTo(h.debt()) >= 0 || ltvAfter.compareTo(ltvBefore) >= 0) {
            return Outcome.revert("NotDeleveraged");
        }
        BigInteger floor = Ltv.bpsToWad(s.targetLtvBps() - s.bandBps());
        if (ltvAfter.compareTo(floor) < 0) return Outcome.revert("Oversold");
        boolean underTrigger = ltvAfter.compareTo(Ltv.bpsToWad(s.triggerLtvBps())) < 0;
        if (sale && !underTrigger && ltvAfter.add(MIN_LTV_DROP).compareTo(ltvBefore) > 0) {
            return Outcome.revert("NotDeleveraged");
        }
        return new Outcome(null, repaid, ltvBefore, ltvAfter, surplus);
    }
}
