package io.unwind.domain.hedge;

import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * When the keeper opens, grows, buys back or releases a hedge (docs/HEDGE.md, "The keeper's side"), from the hedge and
 * the vault it protects read at the same block. Pure: the engine reads, routes and sends.
 *
 * <p>In order:
 *
 * <ol>
 *   <li>a hedge at or over its own trigger is bought back to its target (the short is protected like any position);
 *   <li>a vault at or over its trigger gets the hedge's profit released to its reserve, as much as the top-up to its
 *       target needs and the hedge can give while staying at or under its own target: the next block's top-up then
 *       repays debt without a sale, and the short stays on; a vault in danger under its trigger with its hedge full
 *       gets it only in its soft zone and if that completes a top-up to its target (the vault acts early only there,
 *       and takes no partial early action);
 *   <li>a short over the owner's ratio of the vault's collateral (a sale took collateral out) is bought back to it;
 *   <li>a short whose vault is out of danger (under {@code openLtv} less {@link #REST_BPS}, or within
 *       {@link #AT_TARGET_BPS} of its target if lower: a top-up or sale brought it back), and not found in danger by
 *       the risk model within the volatility horizon, is bought back whole: after a fall this realises what is left of
 *       the profit; while the market stays as wild as when it was opened, the short stays for the gap it is for;
 *   <li>a vault in danger (the risk model's probability over the owner's bound, or over {@code openLtv} without a soft
 *       trigger) and still under its trigger gets the short opened or grown, up to the owner's ratio and no further
 *       than keeps the hedge at its target with the worst swap the policy allows.
 * </ol>
 */
public final class HedgeRules {
    private HedgeRules() {}

    /**
     * The short is closed once the vault is this far under the owner's open LTV, or within {@link #AT_TARGET_BPS} of
     * its own target if that is lower: the risk has passed (a sale or top-up brought it back), without churn at the
     * line.
     */
    public static final int REST_BPS = 200;

    public static final int AT_TARGET_BPS = 100;

    /** A short over the owner's ratio by more than this (the vault sold collateral) is bought back to it. */
    public static final int OVER_RATIO_TOLERANCE_BPS = 500;

    /** An open stays this far under the owner's ratio: the contract counts the interest accrued when it lands. */
    public static final int RATIO_MARGIN_BPS = 50;

    /** A release stays this far under the profit read: interest and the next price move before it is mined. */
    public static final int RELEASE_MARGIN_BPS = 100;

    /** Opens and releases aim this far under the hedge's target, so that a block's interest does not cross it. */
    public static final int TARGET_MARGIN_BPS = 25;

    /** The least open, as a share of the ratio's full size: smaller ones cost gas and a cooldown for nothing. */
    public static final int MIN_OPEN_SHARE_BPS = 200;

    private static final MathContext MC = MathContext.DECIMAL128;

    /**
     * What the engine knows besides the two positions.
     *
     * @param now the head's time (the cooldown)
     * @param danger whether the vault is in danger now by the risk model (or by the owner's open LTV alone)
     * @param dangerWhy the danger in words ("liquidation probability 31% > 10% in the soft zone")
     * @param keeperFeeBps the fee the keeper charges on a hedge swap
     * @param expectedSlippageBps the slippage the keeper expects of a swap (its estimates, not a bound)
     * @param topUpNeed what a top-up of the vault to its target would spend, its fee included (0 when none)
     * @param predictedRecently whether the risk model found the vault in danger within the volatility horizon: the
     *     market is still as wild as when the short was opened, so the risk has not passed, however low the LTV
     */
    public record Context(
            Instant now,
            boolean danger,
            String dangerWhy,
            int keeperFeeBps,
            int expectedSlippageBps,
            BigInteger topUpNeed,
            boolean predictedRecently) {
        public Context {
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(dangerWhy, "dangerWhy");
            Objects.requireNonNull(topUpNeed, "topUpNeed");
        }
    }

    public static HedgeDecision decide(HedgeState s, VaultHealth h, Context c) {
        if (!h.priceKnown()) return new HedgeDecision.Hold("the vault's price is not known");
        if (h.paused() || !h.keeperAllowed()) return new HedgeDecision.Hold("the vault is paused or not ours");
        HedgePolicy p = s.policy();
        BigInteger price = h.price();
        BigInteger hedgeLtv = s.ltv(price);
        int feeBps = Math.min(c.keeperFeeBps(), p.maxFeeBps());

        if (s.hasShort() && hedgeLtv.compareTo(Ltv.bpsToWad(p.triggerLtvBps())) >= 0) {
            BigInteger assets = buyBackToTarget(s, price, feeBps, c.expectedSlippageBps());
            boolean whole = assets.compareTo(s.shorted()) >= 0;
            return new HedgeDecision.BuyBack(
                    whole ? s.shorted() : assets,
                    whole,
                    true,
                    "hedge LTV " + Ltv.percent(hedgeLtv) + " at or over its trigger " + pct(p.triggerLtvBps())
                            + ": buy back " + coll(h, whole ? s.shorted() : assets) + " toward its target "
                            + pct(p.targetLtvBps()) + " (the short is protected like any position)");
        }

        boolean atOpen = h.ltv().compareTo(Ltv.bpsToWad(p.openLtvBps())) >= 0;
        BigInteger full =
                h.collateral().multiply(BigInteger.valueOf(p.maxRatioBps())).divide(Ltv.BPS);
        // Under the ratio by RATIO_MARGIN_BPS: the short's interest accrues before the open lands, and counts.
        BigInteger byRatio = full.multiply(BigInteger.valueOf(10_000 - RATIO_MARGIN_BPS))
                .divide(Ltv.BPS)
                .subtract(s.shorted());
        BigInteger byTarget = openToTarget(s, price, feeBps, p);
        BigInteger byVenue = s.borrowable(price);
        BigInteger openable = byRatio.min(byTarget).min(byVenue);
        boolean hedgeFull = openable.compareTo(full.multiply(BigInteger.valueOf(MIN_OPEN_SHARE_BPS))
                                .divide(Ltv.BPS))
                        < 0
                || openable.signum() <= 0;

        if ((h.overTrigger() || (c.danger() && atOpen && hedgeFull)) && h.hasDebt()) {
            BigInteger profit = s.profit(price);
            BigInteger room = releasable(s, price);
            BigInteger need = c.topUpNeed().subtract(h.reserve()).max(BigInteger.ZERO);
            // A little over the need: the fee rule and interest move it between this block and the top-up's.
            BigInteger wanted = need.add(need.divide(BigInteger.valueOf(50)));
            // Under the profit by RELEASE_MARGIN_BPS: the short's interest and the next price accrue before it lands.
            BigInteger amount = profit.multiply(BigInteger.valueOf(10_000 - RELEASE_MARGIN_BPS))
                    .divide(Ltv.BPS)
                    .min(room)
                    .min(wanted);
            // Under the trigger the vault takes only a top-up to its target: a release that cannot complete one waits
            // for the trigger, where the vault takes what the reserve holds.
            boolean completes = h.inSoftZone() && h.reserve().add(amount).compareTo(c.topUpNeed()) >= 0;
            if (amount.signum() > 0 && (h.overTrigger() || completes)) {
                BigInteger saleCost = need.multiply(BigInteger.valueOf(c.expectedSlippageBps() + feeBps))
                        .divide(Ltv.BPS);
                return new HedgeDecision.Release(
                        amount,
                        "vault LTV " + Ltv.percent(h.ltv())
                                + (h.overTrigger()
                                        ? " over its trigger"
                                        : " in danger (" + c.dangerWhy() + "), hedge full")
                                + ": release " + loan(h, amount)
                                + " of the hedge's profit " + loan(h, profit) + " to the vault's reserve (reserve "
                                + loan(h, h.reserve()) + ", a top-up to the target needs " + loan(h, c.topUpNeed())
                                + "), so that it is topped up rather than sold; the short stays on. A sale instead"
                                + " would cost about " + loan(h, saleCost) + " in slippage and fee and give up the"
                                + " collateral sold");
            }
        }

        // The ratio is checked on chain only at an open: once a sale has taken collateral out of the vault, the short
        // can be more than the owner allows, a bet on a fall rather than a hedge. Bought back to the ratio.
        BigInteger tolerated = full.multiply(BigInteger.valueOf(10_000 + OVER_RATIO_TOLERANCE_BPS))
                .divide(Ltv.BPS);
        if (s.shorted().compareTo(tolerated) > 0) {
            if (!s.cooledDown(c.now())) return new HedgeDecision.Hold("cooling down until " + ready(s));
            BigInteger excess = s.shorted().subtract(full);
            return new HedgeDecision.BuyBack(
                    excess,
                    false,
                    false,
                    "short " + coll(h, s.shorted()) + " is " + pct(s.ratioBps(h.collateral()))
                            + " of the vault's collateral " + coll(h, h.collateral()) + ", over the owner's ratio "
                            + pct(p.maxRatioBps()) + ": buy back " + coll(h, excess));
        }

        int restBps = Math.min(p.openLtvBps() - REST_BPS, h.policy().targetLtvBps() + AT_TARGET_BPS);
        // Under the lowest LTV the vault's own actions may leave it at (its target less its band), the position is
        // safer than any deleveraging would make it: the risk has passed, however wild the market still is.
        int safeBps = Math.max(0, h.policy().targetLtvBps() - h.policy().bandBps());
        boolean safe = h.ltv().compareTo(Ltv.bpsToWad(safeBps)) < 0;
        if (s.hasShort()
                && (safe || !c.predictedRecently())
                && h.ltv().compareTo(Ltv.bpsToWad(Math.max(0, restBps))) < 0) {
            if (!s.cooledDown(c.now())) return new HedgeDecision.Hold("cooling down until " + ready(s));
            BigInteger profit = s.profit(price);
            return new HedgeDecision.BuyBack(
                    s.shorted(),
                    true,
                    false,
                    "vault LTV " + Ltv.percent(h.ltv()) + " under " + pct(restBps)
                            + ": the risk has passed; buy back the whole short of " + coll(h, s.shorted())
                            + (profit.signum() > 0 ? ", realising the profit left (" + loan(h, profit) + ")" : "")
                            + " at a cost of about "
                            + loan(
                                    h,
                                    s.shortValue(price)
                                            .multiply(BigInteger.valueOf(c.expectedSlippageBps() + feeBps))
                                            .divide(Ltv.BPS))
                            + " in slippage and fee");
        }

        if (c.danger() && atOpen && !h.overTrigger()) {
            if (hedgeFull) {
                return new HedgeDecision.Hold("in danger (" + c.dangerWhy() + ") but the hedge is full: short "
                        + coll(h, s.shorted()) + ", " + pct(s.ratioBps(h.collateral())) + " of the collateral"
                        + (byTarget.min(byVenue).compareTo(byRatio) < 0 ? " (its margin allows no more)" : ""));
            }
            if (!s.cooledDown(c.now())) return new HedgeDecision.Hold("cooling down until " + ready(s));
            BigInteger assets = openable;
            BigInteger value = Ltv.collateralValue(assets, price);
            BigInteger swapCost = value.multiply(BigInteger.valueOf(c.expectedSlippageBps() + feeBps))
                    .divide(Ltv.BPS);
            BigInteger need = c.topUpNeed();
            return new HedgeDecision.Open(
                    assets,
                    "in danger (" + c.dangerWhy() + "), LTV " + Ltv.percent(h.ltv()) + " under its trigger "
                            + pct(h.policy().triggerLtvBps()) + ": short " + coll(h, assets) + " (worth "
                            + loan(h, value) + ") against the hedge's margin "
                            + loan(h, s.margin()) + "; it costs about " + loan(h, swapCost)
                            + " now and as much again to buy back, plus funding at "
                            + String.format(java.util.Locale.ROOT, "%.2f%%", s.fundingRate() * 100)
                            + " a year, and keeps the collateral. An early sale of the same value would cost about "
                            + loan(h, swapCost) + " once and give up the collateral sold"
                            + (need.signum() > 0
                                    ? "; a top-up to the target needs " + loan(h, need) + " (reserve "
                                            + loan(h, h.reserve()) + ")"
                                    : ""));
        }
        return new HedgeDecision.Hold(
                s.hasShort()
                        ? "short " + coll(h, s.shorted()) + ", hedge LTV " + Ltv.percent(hedgeLtv)
                        : c.danger() && !atOpen
                                ? "in danger, but under the owner's open LTV " + pct(p.openLtvBps())
                                : "no short; the vault is not in danger");
    }

    /**
     * L the contract lets a keeper release now: the profit, the margin, and no more than keeps the hedge at or under
     * its target (less {@link #TARGET_MARGIN_BPS}).
     */
    static BigInteger releasable(HedgeState s, BigInteger price) {
        BigInteger room = s.margin();
        if (s.hasShort()) {
            BigInteger t = BigInteger.valueOf(s.policy().targetLtvBps() - TARGET_MARGIN_BPS);
            if (t.signum() <= 0) return BigInteger.ZERO;
            BigInteger marginNeeded = Ltv.divUp(s.shortValue(price).multiply(Ltv.BPS), t);
            room = s.margin().subtract(marginNeeded).max(BigInteger.ZERO);
        }
        return room.min(s.profit(price));
    }

    /**
     * C an open may short at most so that the hedge ends at its target (less the margin) even with the worst swap and
     * the fee: {@code (S + x) p <= t (M + x p k)}, {@code k = 1 - maxSlippage - fee}.
     */
    static BigInteger openToTarget(HedgeState s, BigInteger price, int feeBps, HedgePolicy p) {
        BigDecimal t = bps(p.targetLtvBps() - TARGET_MARGIN_BPS);
        BigDecimal k = BigDecimal.ONE.subtract(bps(p.maxSlippageBps() + feeBps));
        BigDecimal pr = new BigDecimal(price).divide(new BigDecimal(Ltv.PRICE_SCALE), MC);
        BigDecimal room = t.multiply(new BigDecimal(s.margin())).subtract(new BigDecimal(s.shorted()).multiply(pr));
        BigDecimal per = pr.multiply(BigDecimal.ONE.subtract(t.multiply(k)));
        if (room.signum() <= 0 || per.signum() <= 0) return BigInteger.ZERO;
        return room.divide(per, MC).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /**
     * C to buy back to bring the hedge to its target, at the expected swap: {@code (S - x) p = t (M - x p / k)}, so
     * {@code x = (S p - t M) / (p (1 - t / k))}, {@code k = (1 - fee)(1 - slippage)}; the whole short when the target
     * cannot be reached that way.
     */
    static BigInteger buyBackToTarget(HedgeState s, BigInteger price, int feeBps, int slippageBps) {
        BigDecimal t = bps(s.policy().targetLtvBps());
        BigDecimal k = BigDecimal.ONE.subtract(bps(feeBps)).multiply(BigDecimal.ONE.subtract(bps(slippageBps)));
        BigDecimal pr = new BigDecimal(price).divide(new BigDecimal(Ltv.PRICE_SCALE), MC);
        BigDecimal over = new BigDecimal(s.shorted()).multiply(pr).subtract(t.multiply(new BigDecimal(s.margin())));
        BigDecimal per = pr.multiply(BigDecimal.ONE.subtract(t.divide(k, MC)));
        if (per.signum() <= 0) return s.shorted();
        BigInteger x = over.divide(per, MC).setScale(0, RoundingMode.UP).toBigIntegerExact();
        // A tenth more: the swap's real price is not known here, and the contract only asks that the LTV not rise.
        return x.add(x.divide(BigInteger.TEN)).max(BigInteger.ONE).min(s.shorted());
    }

    private static BigDecimal bps(int bps) {
        return BigDecimal.valueOf(bps).movePointLeft(4);
    }

    private static String pct(int bps) {
        return BigDecimal.valueOf(bps).movePointLeft(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static String ready(HedgeState s) {
        return s.lastActionAt().plus(s.policy().cooldown()).toString();
    }

    private static String loan(VaultHealth h, BigInteger units) {
        return h.loanToken().amount(units).display();
    }

    private static String coll(VaultHealth h, BigInteger units) {
        return h.collateralToken().amount(units).display();
    }
}
