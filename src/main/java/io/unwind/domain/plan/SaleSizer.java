package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a route's quote for a sale into the vault call's {@code minRepaid} and {@code keeperFee}, or asks for a quote
 * at a corrected size, or rejects the quote. Pure.
 *
 * <ul>
 *   <li>{@code minRepaid} is the repayment that lands LTV on the target; the vault repays {@code max(minRepaid,
 *       oracleFloor)} and keeps any surplus in its reserve. When the quote falls short of the target, {@code minRepaid}
 *       is what its guaranteed proceeds cover with the fee (a chunk).
 *   <li>The fee is the keeper's rate capped by the vault's {@code maxFeeBps}, zero when {@code maxFeePerGas} exceeds
 *       the vault's {@code maxGasPrice}, and never more than the proceeds leave over: {@code required + fee} is at most
 *       the route's guaranteed proceeds, so if the route does not revert, neither does the vault's check.
 *   <li>When the quote's rate differs from the one the size assumed so that the sale misses the target or sells more
 *       than needed plus the tolerance, the size is corrected with the quote's rate (a fixed-point step, aiming inside
 *       the accepted window) and re-quoted, up to {@code maxResizeAttempts} times. After that a short sale is sent as a
 *       partial chunk (it still helps) and an oversized one is refused.
 *   <li>A quote under the oracle floor is rejected: the vault would revert. So is one under the equity floor (the value
 *       sold minus the equity allowance), unless a smaller sale at its rate fits: then it is re-quoted at that size.
 *       {@code minRepaid} is never under the equity floor and the fee never over the equity allowance.
 *   <li>A sale larger than the rate limit's window has left is refused ({@code WindowExceeded}); one that would not
 *       lower LTV by the vault's 0.1 point minimum without ending under the trigger too ({@code NotDeleveraged}).
 * </ul>
 */
public final class SaleSizer {
    private SaleSizer() {}

    /**
     * @param h the vault's health the plan was made from (same block as the quote)
     * @param quote the route's figures for one sale size
     * @param maxFeePerGas the fee cap the transaction will be sent with (decides whether a keeper fee is allowed)
     * @param attempt 0 for the planner's size, then {@link SaleAssessment.Resize#nextAttempt()}
     * @param now the time the order is made (its deadline is now + the keeper's {@code txDeadline})
     */
    public static SaleAssessment assess(
            VaultHealth h, KeeperSettings settings, SaleQuote quote, Wei maxFeePerGas, int attempt, Instant now) {
        if (!h.hasDebt() || !h.priceKnown() || !h.policy().isSet()) {
            return rejected(SaleRejection.NOT_TRIGGERED, "no debt, no price or no policy");
        }
        Snapshot s = Snapshot.of(h, settings);
        if (s.ltvBefore().compareTo(s.triggerWad()) < 0 && !s.early()) {
            return rejected(SaleRejection.NOT_TRIGGERED, "LTV " + Ltv.percent(s.ltvBefore()) + " is under the trigger");
        }
        BigInteger x = quote.collateral();
        BigInteger maxSell = s.maxSell();
        if (x.compareTo(maxSell) > 0) {
            return rejected(
                    SaleRejection.ABOVE_MAX_SELL, "sells " + coll(s, x) + ", the vault allows " + coll(s, maxSell));
        }
        if (x.compareTo(s.windowSellLeft()) > 0) {
            return rejected(
                    SaleRejection.ABOVE_WINDOW_LEFT,
                    "sells " + coll(s, x) + ", the rate limit's window has " + coll(s, s.windowSellLeft()) + " left");
        }
        BigInteger floor = Ltv.oracleFloor(x, s.price(), s.maxSlippageBps());
        if (quote.expectedProceeds().compareTo(floor) < 0) {
            return rejected(
                    SaleRejection.BELOW_ORACLE_FLOOR,
                    "expects " + loan(s, quote.expectedProceeds()) + " for " + coll(s, x) + ", the oracle floor is "
                            + loan(s, floor));
        }
        BigInteger counted = quote.countedProceeds();
        if (counted.compareTo(floor) < 0) {
            return rejected(
                    SaleRejection.MIN_OUT_BELOW_FLOOR,
                    "guarantees only " + loan(s, counted) + ", the oracle floor is " + loan(s, floor));
        }

        int feeBps = KeeperFeeRule.feeBps(h.policy(), settings, maxFeePerGas);
        ProceedsModel atQuote = new ProceedsModel.Scaled(x, counted, s.price());
        boolean canResize = attempt < settings.maxResizeAttempts();
        BigInteger equityFloor = s.equityFloor(x);
        if (counted.compareTo(equityFloor) < 0) {
            // At this rate the sale would lose more of the owner's equity than the policy allows; a smaller one may
            // not.
            BigInteger fits = SaleMath.equityCap(s, atQuote, feeBps, x);
            if (canResize && fits.signum() > 0 && fits.compareTo(x) < 0) {
                return new SaleAssessment.Resize(
                        s.collateralToken().amount(fits),
                        attempt + 1,
                        "at this quote's rate only " + coll(s, fits) + " repays the vault's equity floor");
            }
            return rejected(
                    SaleRejection.BELOW_EQUITY_FLOOR,
                    "guarantees " + loan(s, counted) + " for " + coll(s, x) + ", the equity floor is "
                            + loan(s, equityFloor) + " (value sold - allowance " + loan(s, s.equityAllowance())
                            + ")");
        }
        SaleFigures f = SaleMath.sale(s, x, counted, feeBps);
        // The most this sale may take: the per-call cap, the window, and what repays the equity floor at this rate.
        BigInteger rules = s.sellCap();
        BigInteger cap = SaleMath.equityCap(s, atQuote, feeBps, rules).max(x.min(rules));
        Sizing.Cap capReason = cap.compareTo(rules) < 0
                ? Sizing.Cap.EQUITY_BOUND
                : rules.compareTo(maxSell) < 0 ? Sizing.Cap.RATE_LIMIT : Sizing.Cap.MAX_SELL_BPS;
        Optional<BigInteger> best = SaleMath.targetSize(s, atQuote, feeBps, cap);
        boolean landsOnTarget = f.reachesTarget() && s.inTargetRange(f.ltvAfter());
        Instant deadline = now.plus(settings.txDeadline());
        BigInteger expected = quote.expectedProceeds();

        if (best.isEmpty()) {
            // Not even the vault's per-call cap reaches the target paying the full fee at this rate.
            if (landsOnTarget) return ready(s, f, new Sizing.Full(), deadline, expected); // with a smaller fee
            Optional<TokenAmount> needed = SaleMath.smallestReachingTarget(
                            s, atQuote, feeBps, SaleMath.equityCap(s, atQuote, feeBps, s.collateral()))
                    .map(s.collateralToken()::amount);
            if (x.compareTo(cap) >= 0) {
                int chunks = SaleMath.estimateChunks(s, atQuote, feeBps, Optional.empty());
                return ready(s, f, new Sizing.Chunk(capReason, chunks, needed), deadline, expected);
            }
            if (canResize) {
                return new SaleAssessment.Resize(
                        s.collateralToken().amount(cap),
                        attempt + 1,
                        "at this quote's rate even " + coll(s, cap) + " (capped by " + capReason.describe()
                                + ") falls short of the target");
            }
            int chunks = SaleMath.estimateChunks(s, atQuote, feeBps, Optional.of(x));
            return ready(s, f, new Sizing.Chunk(Sizing.Cap.LIQUIDITY, chunks, needed), deadline, expected);
        }

        BigInteger b = best.get();
        BigInteger max = SaleMath.maxCollateral(s, atQuote, feeBps, b, settings.oversellToleranceBps());
        boolean withinTolerance = x.compareTo(max) <= 0;
        if (landsOnTarget && withinTolerance && (x.compareTo(b) >= 0 || f.reachesTargetPayingFee())) {
            return ready(s, f, new Sizing.Full(), deadline, expected);
        }
        BigInteger next = aim(s, atQuote, feeBps, b, cap, settings);
        if (canResize && !next.equals(x)) {
            String why = "at this quote's rate " + coll(s, b) + " reaches the target; " + coll(s, x)
                    + (x.compareTo(b) < 0
                            ? " falls short of it or of the full fee"
                            : " is more than needed (at most " + coll(s, max) + ")");
            return new SaleAssessment.Resize(s.collateralToken().amount(next), attempt + 1, why);
        }
        // Out of re-sizes.
        if (landsOnTarget && withinTolerance) return ready(s, f, new Sizing.Full(), deadline, expected); // smaller fee
        if (landsOnTarget) {
            return rejected(
                    SaleRejection.SIZE_NOT_CONVERGED,
                    "still sells " + coll(s, x) + " where " + coll(s, b) + " reaches the target (at most "
                            + coll(s, max) + ") after " + attempt + " re-sizes");
        }
        // Short of the target (what this route gives still helps), or under the band (refused by ready).
        Optional<TokenAmount> needed = Optional.of(s.collateralToken().amount(b));
        int chunks = SaleMath.estimateChunks(s, atQuote, feeBps, Optional.of(x));
        return ready(s, f, new Sizing.Chunk(Sizing.Cap.LIQUIDITY, chunks, needed), deadline, expected);
    }

    /**
     * A re-size aims inside the accepted window (the size needed plus half the tolerance), so that the next quote's own
     * drift keeps it there; or at the size needed itself when more would land under the band.
     */
    private static BigInteger aim(
            Snapshot s, ProceedsModel model, int feeBps, BigInteger best, BigInteger maxSell, KeeperSettings settings) {
        BigInteger half = best.multiply(BigInteger.valueOf(settings.oversellToleranceBps()))
                .divide(Ltv.BPS.shiftLeft(1));
        BigInteger aimed = best.add(half).min(maxSell);
        SaleFigures f = SaleMath.sale(s, aimed, model, feeBps);
        return f.reachesTarget() && s.inTargetRange(f.ltvAfter()) ? aimed : best;
    }

    private static SaleAssessment ready(
            Snapshot s, SaleFigures f, Sizing sizing, Instant deadline, BigInteger expectedProceeds) {
        if (!f.lowersLtv(s)) {
            return rejected(
                    SaleRejection.WOULD_NOT_DELEVERAGE,
                    "LTV would go from " + Ltv.percent(s.ltvBefore()) + " to " + Ltv.percent(f.ltvAfter()));
        }
        if (f.ltvAfter().compareTo(s.floorWad()) < 0) {
            return rejected(
                    SaleRejection.WOULD_OVERSELL,
                    "LTV would end at " + Ltv.percent(f.ltvAfter()) + ", under target - band "
                            + Ltv.percent(s.floorWad()));
        }
        if (s.early() && !(sizing instanceof Sizing.Full)) {
            return rejected(
                    SaleRejection.OFF_TARGET,
                    "under the hard trigger a sale must reach the target in one go, and this route's sale is a chunk"
                            + " ending at " + Ltv.percent(f.ltvAfter()));
        }
        if (sizing instanceof Sizing.Full && f.ltvAfter().compareTo(s.ceilingWad()) > 0) {
            return rejected(
                    SaleRejection.OFF_TARGET,
                    "LTV would end at " + Ltv.percent(f.ltvAfter()) + ", above target + tolerance "
                            + Ltv.percent(s.ceilingWad()));
        }
        var loan = s.loanToken();
        return new SaleAssessment.Ready(new SaleOrder(
                s.collateralToken().amount(f.collateral()),
                loan.amount(f.minRepaid()),
                loan.amount(f.required()),
                loan.amount(f.oracleFloor()),
                loan.amount(f.keeperFee()),
                loan.amount(f.flashPremium()),
                loan.amount(f.repaid()),
                loan.amount(f.proceeds()),
                loan.amount(expectedProceeds),
                s.ltvBefore(),
                f.ltvAfter(),
                s.targetWad(),
                sizing,
                deadline));
    }

    private static SaleAssessment rejected(SaleRejection reason, String detail) {
        return new SaleAssessment.Rejected(reason, detail);
    }

    private static String loan(Snapshot s, BigInteger units) {
        return s.loanToken().amount(units).toString();
    }

    private static String coll(Snapshot s, BigInteger units) {
        return s.collateralToken().amount(units).toString();
    }
}
