package io.unwind.domain.plan;

import static java.math.BigInteger.ONE;
import static java.math.BigInteger.ZERO;

import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Integer arithmetic of sales and repayments, with the vault's rounding. Every function is pure.
 *
 * <p>The continuous model: with debt D, collateral value V at the oracle price, target t and an effective rate r (loan
 * tokens repaid per unit of oracle value sold, after slippage and the keeper's fee), selling value X leaves LTV (D -
 * rX) / (V - X); it equals t for X = (D - tV) / (r - t). That is only the first guess: the answer is the smallest whole
 * collateral amount whose sale, evaluated exactly as the contract evaluates it, lands on the target.
 */
final class SaleMath {
    private static final BigInteger WAD = Ltv.WAD;
    private static final BigInteger BPS = Ltv.BPS;

    /** Base units of loan token that integer rounding may cost a sale (value, floor, fee, target debt). */
    static final BigInteger ROUNDING_SLACK_LOAN_UNITS = BigInteger.valueOf(4);

    private SaleMath() {}

    /**
     * The debt that puts LTV on the target for {@code collateralAfter}: the largest y with
     * {@code Ltv.ltv(collateralAfter, y, price) <= target}. Since the contract rounds LTV up, ceil(y * WAD / value) <=
     * t exactly when y <= floor(t * value / WAD).
     */
    static BigInteger debtAtTarget(Snapshot s, BigInteger collateralAfter) {
        BigInteger value = s.value(collateralAfter);
        BigInteger y = s.targetWad().multiply(value).divide(WAD);
        // If one base unit of debt is worth more LTV than the band (a tiny position), the largest debt under the
        // target can be under the contract's floor; one unit more lands above the target by less than WAD/value,
        // which the caller checks against the tolerance.
        if (Ltv.ltv(collateralAfter, y, s.price()).compareTo(s.floorWad()) < 0) y = y.add(ONE);
        return y;
    }

    /** The repayment that lands LTV on the target after {@code collateralAfter} remains; 0 if already there. */
    static BigInteger repayToTarget(Snapshot s, BigInteger collateralAfter) {
        return s.debt().subtract(debtAtTarget(s, collateralAfter)).max(ZERO);
    }

    /** The keeper's fee on {@code repaid}, rounded down (the contract's cap is rounded down too). */
    static BigInteger feeOf(BigInteger repaid, int feeBps) {
        return repaid.multiply(BigInteger.valueOf(feeBps)).divide(BPS);
    }

    /**
     * What selling {@code collateral} for {@code proceeds} does, as the vault evaluates it. The keeper asks to repay
     * exactly what lands on the target whenever the proceeds cover it, its fee taking what is left up to the full rate;
     * when the vault's floor is higher, the vault repays the floor anyway (LTV lands under the target); when the
     * proceeds fall short of the target, it repays as much as they cover with the full fee (a chunk). The floor is the
     * higher of the oracle floor and the equity floor ({@link Snapshot#equityFloor}); the keeper's {@code minRepaid} is
     * never under the equity floor, and its fee never over the equity allowance ({@code EquityLoss}).
     */
    static SaleFigures sale(Snapshot s, BigInteger collateral, BigInteger proceeds, int feeBps) {
        BigInteger oracleFloor = Ltv.oracleFloor(collateral, s.price(), s.maxSlippageBps());
        BigInteger equityFloor = s.equityFloor(collateral);
        BigInteger floor = oracleFloor.max(equityFloor);
        BigInteger collateralAfter = s.collateral().subtract(collateral);
        BigInteger toTarget = repayToTarget(s, collateralAfter);
        BigInteger capacity = capacity(s, collateral, proceeds, feeBps);
        boolean coversFloor = proceeds.compareTo(floor.add(s.flashPremium(collateral, floor))) >= 0;
        boolean reachesTarget = coversFloor
                && toTarget.add(s.flashPremium(collateral, toTarget)).compareTo(proceeds) <= 0;
        boolean reachesPayingFee = coversFloor && toTarget.compareTo(capacity.max(floor)) <= 0;
        BigInteger minRepaid = (reachesTarget ? toTarget : capacity.max(floor)).max(equityFloor);
        BigInteger required = minRepaid.max(floor);
        // A requirement at or above the debt makes the vault repay by shares, closing the debt exactly.
        BigInteger repaid = required.min(s.debt());
        BigInteger premium = coversFloor ? s.flashPremium(collateral, required) : ZERO;
        BigInteger fee = coversFloor
                ? feeOf(repaid, feeBps)
                        .min(proceeds.subtract(required).subtract(premium))
                        .min(s.equityAllowance())
                : ZERO;
        BigInteger surplus =
                coversFloor ? proceeds.subtract(required).subtract(premium).subtract(fee) : ZERO;
        BigInteger ltvAfter = Ltv.ltv(collateralAfter, s.debt().subtract(repaid), s.price());
        return new SaleFigures(
                collateral,
                proceeds,
                oracleFloor,
                equityFloor,
                toTarget,
                minRepaid,
                required,
                repaid,
                fee,
                premium,
                surplus,
                ltvAfter,
                coversFloor,
                reachesTarget,
                reachesPayingFee);
    }

    /**
     * The most the keeper can promise to repay from {@code proceeds} and still be paid its full fee: the largest R with
     * R + floor(R * fee / BPS) + the flash premium on R within the proceeds. Without a premium that is exactly
     * floor(proceeds * BPS / (BPS + fee)); a premium's rounding may take a unit or two more off.
     */
    static BigInteger capacity(Snapshot s, BigInteger collateral, BigInteger proceeds, int feeBps) {
        boolean flash = s.takesFlashLoan(collateral);
        long rate = Ltv.BPS.longValueExact() + feeBps + (flash ? s.flashPremiumBps() : 0);
        BigInteger r = proceeds.multiply(BPS).divide(BigInteger.valueOf(rate));
        while (r.signum() > 0
                && r.add(feeOf(r, feeBps)).add(s.flashPremium(collateral, r)).compareTo(proceeds) > 0) {
            r = r.subtract(ONE);
        }
        return r;
    }

    /** The vault's floor for a sale of {@code collateral}: the higher of the oracle floor and the equity floor. */
    static BigInteger floor(Snapshot s, BigInteger collateral) {
        return Ltv.oracleFloor(collateral, s.price(), s.maxSlippageBps()).max(s.equityFloor(collateral));
    }

    /**
     * The largest sale, at most {@code cap}, whose proceeds under {@code model} repay the equity floor and pay the
     * keeper's fee on it (within the allowance) and any flash-loan premium: {@code cap} when the allowance covers it, 0
     * when not even one unit does. The equity floor grows with the value sold while the proceeds grow at the route's
     * rate (under one), so the condition holds up to some size and fails beyond it; found by bisection.
     */
    static BigInteger equityCap(Snapshot s, ProceedsModel model, int feeBps, BigInteger cap) {
        if (cap.signum() <= 0) return ZERO;
        Predicate<BigInteger> fits = x -> {
            BigInteger floor = s.equityFloor(x);
            BigInteger fee = feeOf(floor, feeBps).min(s.equityAllowance());
            return model.proceeds(x).compareTo(floor.add(fee).add(s.flashPremium(x, floor))) >= 0;
        };
        if (fits.test(cap)) return cap;
        if (!fits.test(ONE)) return ZERO;
        BigInteger lo = ONE;
        BigInteger hi = cap;
        while (hi.subtract(lo).compareTo(ONE) > 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (fits.test(mid)) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    static SaleFigures sale(Snapshot s, BigInteger collateral, ProceedsModel model, int feeBps) {
        return sale(s, collateral, model.proceeds(collateral), feeBps);
    }

    /**
     * The sale size to aim for under {@code model}, at most {@code cap}: the smallest that reaches the target paying
     * the keeper's full fee. If the oracle floor makes that one repay so much more than the target needs that LTV lands
     * under target - band, the largest size whose floor does not exceed the repayment to the target instead (it lands
     * on the target; the fee takes what is left). Empty if no size up to {@code cap} reaches the target. The caller
     * checks the result against the band: on a very coarse position neither may fit.
     */
    static Optional<BigInteger> targetSize(Snapshot s, ProceedsModel model, int feeBps, BigInteger cap) {
        Optional<BigInteger> smallest = smallestReachingTarget(s, model, feeBps, cap);
        if (smallest.isEmpty()) return smallest;
        BigInteger x = smallest.get();
        if (sale(s, x, model, feeBps).ltvAfter().compareTo(s.floorWad()) >= 0) return smallest;
        // floor(y) <= toTarget(y) holds for small sales and fails from some size on (the floor grows faster).
        Predicate<BigInteger> floorWithinTarget =
                y -> floor(s, y).compareTo(repayToTarget(s, s.collateral().subtract(y))) <= 0;
        if (!floorWithinTarget.test(ONE)) return smallest;
        BigInteger lo = ONE; // floor within target
        BigInteger hi = x; // floor above target
        while (hi.subtract(lo).compareTo(ONE) > 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (floorWithinTarget.test(mid)) lo = mid;
            else hi = mid;
        }
        SaleFigures f = sale(s, lo, model, feeBps);
        return f.reachesTarget() && s.inTargetRange(f.ltvAfter()) ? Optional.of(lo) : smallest;
    }

    /**
     * The smallest collateral amount, at most {@code cap}, whose sale under {@code model} reaches the target paying the
     * full fee; empty if even {@code cap} does not. Starts from the closed form and searches (exponentially, then by
     * bisection) around it, since rounding moves the answer by a few units either way.
     */
    static Optional<BigInteger> smallestReachingTarget(Snapshot s, ProceedsModel model, int feeBps, BigInteger cap) {
        if (cap.signum() <= 0) return Optional.empty();
        Predicate<BigInteger> ok = x -> sale(s, x, model, feeBps).reachesTargetPayingFee();
        if (!ok.test(cap)) return Optional.empty();

        BigInteger x0 = closedForm(s, model, feeBps).orElse(cap).max(ONE).min(cap);
        BigInteger lo; // largest amount known not to reach the target (0 = none)
        BigInteger hi; // smallest amount known to reach it
        BigInteger step = ONE;
        if (ok.test(x0)) {
            hi = x0;
            lo = x0.subtract(ONE);
            while (lo.signum() > 0 && ok.test(lo)) {
                hi = lo;
                lo = hi.subtract(step).max(ZERO);
                step = step.shiftLeft(1);
            }
        } else {
            lo = x0;
            hi = x0.add(ONE).min(cap);
            while (!ok.test(hi)) {
                lo = hi;
                step = step.shiftLeft(1);
                hi = hi.add(step).min(cap);
            }
        }
        while (hi.subtract(lo).compareTo(ONE) > 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (ok.test(mid)) hi = mid;
            else lo = mid;
        }
        return Optional.of(hi);
    }

    /**
     * The most a sale for this target may sell: {@code needed} plus {@code toleranceBps} of it (rounded down) plus the
     * collateral worth {@link #ROUNDING_SLACK_LOAN_UNITS} loan units at the effective margin (r - t), plus one.
     */
    static BigInteger maxCollateral(Snapshot s, ProceedsModel model, int feeBps, BigInteger needed, int toleranceBps) {
        BigInteger tolerance = needed.multiply(BigInteger.valueOf(toleranceBps)).divide(BPS);
        return needed.add(tolerance).add(roundingSlack(s, model, feeBps));
    }

    /** Collateral whose sale moves the landing point by {@link #ROUNDING_SLACK_LOAN_UNITS} loan units, rounded up. */
    static BigInteger roundingSlack(Snapshot s, ProceedsModel model, int feeBps) {
        BigInteger[] r = effectiveRate(s, model, feeBps);
        BigInteger margin = r[0].multiply(WAD).subtract(s.targetWad().multiply(r[1])); // (r - t) * rDen * WAD
        if (margin.signum() <= 0 || s.price().signum() == 0) return ONE;
        BigInteger num = ROUNDING_SLACK_LOAN_UNITS.multiply(r[1]).multiply(WAD).multiply(Ltv.PRICE_SCALE);
        return Ltv.divUp(num, margin.multiply(s.price())).add(ONE);
    }

    /**
     * How many sales capped like this one, this one included, reach the target or end under the trigger (where the
     * contract stops further actions), assuming the same proceeds model; at most {@link Sizing.Chunk#MAX_ESTIMATE}.
     */
    static int estimateChunks(Snapshot s, ProceedsModel model, int feeBps, Optional<BigInteger> liquidityCap) {
        Snapshot cur = s;
        for (int n = 1; n < Sizing.Chunk.MAX_ESTIMATE; n++) {
            BigInteger cap = equityCap(cur, model, feeBps, capFor(cur, liquidityCap));
            if (cap.signum() <= 0) return n;
            SaleFigures f = sale(cur, cap, model, feeBps);
            if (f.reachesTargetPayingFee() || !f.coversFloor() || !f.lowersLtv(cur)) return n;
            cur = cur.withPosition(
                    cur.collateral().subtract(cap),
                    cur.debt().subtract(f.repaid()),
                    cur.windowSellLeft().subtract(cap));
            if (cur.ltvBefore().compareTo(cur.triggerWad()) < 0) return n;
        }
        return Sizing.Chunk.MAX_ESTIMATE;
    }

    /** The most one sale may take: the vault's per-call cap, the rate limit's window and the route liquidity given. */
    static BigInteger capFor(Snapshot s, Optional<BigInteger> liquidityCap) {
        BigInteger cap = s.sellCap();
        return liquidityCap.map(cap::min).orElse(cap);
    }

    /**
     * The closed-form collateral amount, rounded up: x = (D*WAD - t*V) * rDen * 1e36 / ((rNum*WAD - t*rDen) * P). Empty
     * when the effective rate is not above the target (no sale reaches it).
     */
    private static Optional<BigInteger> closedForm(Snapshot s, ProceedsModel model, int feeBps) {
        BigInteger[] r = effectiveRate(s, model, feeBps);
        BigInteger excess = s.debt().multiply(WAD).subtract(s.targetWad().multiply(s.value(s.collateral())));
        if (excess.signum() <= 0) return Optional.of(ONE);
        BigInteger margin = r[0].multiply(WAD).subtract(s.targetWad().multiply(r[1]));
        if (margin.signum() <= 0) return Optional.empty();
        return Optional.of(Ltv.divUp(excess.multiply(r[1]).multiply(Ltv.PRICE_SCALE), margin.multiply(s.price())));
    }

    /**
     * Loan tokens repaid per unit of oracle value sold, as {num, den}: the model's rate after the keeper's fee, or the
     * oracle floor's rate if that is higher and the model covers the floor (the vault then repays the floor).
     */
    private static BigInteger[] effectiveRate(Snapshot s, ProceedsModel model, int feeBps) {
        BigInteger feeNum = model.rateNum().multiply(BPS);
        BigInteger feeDen = model.rateDen().multiply(BPS.add(BigInteger.valueOf(feeBps)));
        BigInteger floorNum = BigInteger.valueOf(10_000L - s.maxSlippageBps());
        boolean coversFloor = model.rateNum().multiply(BPS).compareTo(floorNum.multiply(model.rateDen())) >= 0;
        boolean floorHigher = floorNum.multiply(feeDen).compareTo(feeNum.multiply(BPS)) > 0;
        return coversFloor && floorHigher ? new BigInteger[] {floorNum, BPS} : new BigInteger[] {feeNum, feeDen};
    }
}
