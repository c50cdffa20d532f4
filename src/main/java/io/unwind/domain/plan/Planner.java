package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Prediction;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.risk.UrgencyModel;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, for one vault at one block, whether to act and how: a pure function of the vault's health, the keeper's
 * settings, the market and the time. It anticipates every check the vault makes, so that a plan it returns would not
 * revert at the price it was judged at:
 *
 * <ul>
 *   <li>holds when there is no debt, the price is unknown (oracle reverted), the policy is unset, LTV is under the
 *       trigger ({@code BelowTrigger}), the vault is paused, this keeper is not allowed, the price guard refuses
 *       keepers ({@code PriceStale}, {@code PriceDeviation}, {@code PriceFeedFailed}), or the cooldown runs;
 *   <li>prefers a top-up when the reserve covers the repayment to the target: no swap, no slippage;
 *   <li>when the reserve covers only part of it (at least {@link #RESERVE_FIRST_MIN_SHARE_BPS} of it), tops up with the
 *       whole reserve first, its fee included, and leaves the rest to a sale planned at a later block from the chain as
 *       it is then; unless one more block could be too late ({@link #cannotWaitABlock}): then it sells at once for the
 *       whole repayment and keeps the reserve;
 *   <li>otherwise sizes a sale to land on the target after the expected slippage and fee, within the vault's per-call
 *       cap ({@code SellTooLarge}), the rate limit's window ({@code WindowExceeded}) and the equity bound (proceeds at
 *       least the value sold minus the equity allowance, {@code InsufficientProceeds}); a capped sale is a chunk; the
 *       keeper's fee never exceeds the equity allowance ({@code EquityLoss});
 *   <li>checks the predicted LTV with the contract's rounding: lower than before, by at least 0.1 point for a sale that
 *       does not end under the trigger ({@code NotDeleveraged}), not under target - band ({@code Oversold}), and at
 *       most target + the keeper's tolerance.
 * </ul>
 */
public final class Planner {
    /**
     * The least share of the repayment a reserve must cover, in basis points, to be used before a sale: a smaller one
     * would cost a transaction and a block of waiting for little, so the sale goes at once for the whole repayment and
     * the reserve stays for the next time.
     */
    public static final int RESERVE_FIRST_MIN_SHARE_BPS = 1_000;

    /**
     * How long before its price feed turns stale a guarded vault is already held: an action judged at this block lands
     * in a later one, and if the feed has passed the vault's max age by then the vault reverts it (gas spent, nothing
     * saved). One mainnet slot; an owner whose feed publishes on a heartbeat sets the max age above the heartbeat plus
     * this.
     */
    public static final java.time.Duration FEED_EXPIRY_MARGIN = java.time.Duration.ofSeconds(12);

    private Planner() {}

    public static Decision decide(VaultHealth h, KeeperSettings settings, MarketConditions market, Instant now) {
        if (!h.hasDebt()) return Decision.Hold.of(HoldReason.NO_DEBT, "the vault owes nothing");
        if (!h.priceKnown()) {
            return Decision.Hold.of(HoldReason.PRICE_UNKNOWN, "the market's oracle did not answer (price 0)");
        }
        Policy policy = h.policy();
        if (!policy.isSet()) return Decision.Hold.of(HoldReason.POLICY_NOT_SET, "the owner has not set a policy");

        Snapshot s = Snapshot.of(h, settings);
        if (s.ltvBefore().compareTo(s.triggerWad()) >= 0) {
            String over = "LTV " + Ltv.percent(s.ltvBefore()) + " >= trigger " + Ltv.percent(s.triggerWad());
            return decideOver(h, s, over, settings, market, now);
        }
        String under = "LTV " + Ltv.percent(s.ltvBefore()) + " < trigger " + Ltv.percent(s.triggerWad());
        if (!s.early()) return Decision.Hold.of(HoldReason.HEALTHY_BELOW_TRIGGER, under);
        // Between the soft and the hard trigger: only a prediction above the owner's threshold lets the keeper act,
        // and only with an action that reaches the target in one go (the vault refuses anything less).
        SoftTrigger soft = h.softTrigger();
        under += ", at or over the soft trigger " + Ltv.percent(soft.soft().toWad());
        if (market.prediction().isEmpty()) {
            return Decision.Hold.of(HoldReason.HEALTHY_BELOW_TRIGGER, under + "; no prediction yet");
        }
        Prediction p = market.prediction().get();
        if (p.probability() <= soft.maxProbability()) {
            return Decision.Hold.of(
                    HoldReason.HEALTHY_BELOW_TRIGGER,
                    under + "; " + p.describe() + " <= the owner's " + Prediction.percent(soft.maxProbability()));
        }
        ActReason reason = ActReason.predicted(p, soft.maxProbability());
        Decision d = decideOver(h, s, under + "; " + reason.describe(), settings, market, now);
        if (d instanceof Decision.Hold hold) {
            // Nothing is wrong while the vault is under its hard trigger: a hold here asks for no one's attention.
            return new Decision.Hold(
                    HoldReason.HEALTHY_BELOW_TRIGGER,
                    "no early action: " + hold.reason().describe() + ": " + hold.detail(),
                    hold.until());
        }
        Decision.Act act = (Decision.Act) d;
        if (!completes(act.plan())) {
            return Decision.Hold.of(
                    HoldReason.HEALTHY_BELOW_TRIGGER,
                    under + "; " + reason.describe() + ", but an early action must reach the target in one go and"
                            + " the best one does not: " + describeShort(act.plan()));
        }
        return act.because(reason);
    }

    /**
     * How many actions this vault needs to get from its LTV now to its target, for the exit time of a prediction: one
     * when its reserve covers the repayment; otherwise the collateral a sale to the target takes (at the expected
     * slippage) over the most one sale may take now (the vault's per-call cap, its rate limit's window, and the venues'
     * known capacity within the floor), rounded up. At least 1; at most {@link Sizing.Chunk#MAX_ESTIMATE}.
     */
    public static int chunksToTarget(VaultHealth h, KeeperSettings settings, MarketConditions market) {
        if (!h.hasDebt() || !h.priceKnown() || !h.policy().isSet()) return 1;
        Snapshot s = Snapshot.of(h, settings);
        BigInteger need = SaleMath.repayToTarget(s, s.collateral());
        if (need.signum() == 0 || h.reserve().compareTo(need) >= 0) return 1;
        int slippage = Math.min(market.expectedSlippageBps(), s.maxSlippageBps());
        ProceedsModel model = new ProceedsModel.AtSlippage(s.price(), slippage, s.maxSlippageBps());
        int feeBps = KeeperFeeRule.feeBps(h.policy(), settings, market.gasPrice());
        Optional<BigInteger> x = SaleMath.targetSize(s, model, feeBps, s.collateral());
        if (x.isEmpty()) return Sizing.Chunk.MAX_ESTIMATE;
        BigInteger cap = SaleMath.capFor(s, market.liquidityCap());
        if (cap.signum() <= 0) return Sizing.Chunk.MAX_ESTIMATE;
        BigInteger[] qr = x.get().divideAndRemainder(cap);
        BigInteger n = qr[0].add(qr[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO);
        return n.min(BigInteger.valueOf(Sizing.Chunk.MAX_ESTIMATE))
                .max(BigInteger.ONE)
                .intValueExact();
    }

    /**
     * What a top-up to the target would spend, the keeper's fee included: the repayment and its fee at the fee the
     * vault's policy and the gas price give. Zero when the vault needs nothing or cannot be judged.
     */
    public static BigInteger topUpNeed(VaultHealth h, KeeperSettings settings, io.unwind.domain.money.Wei gasPrice) {
        if (!h.hasDebt() || !h.priceKnown() || !h.policy().isSet()) return BigInteger.ZERO;
        Snapshot s = Snapshot.of(h, settings);
        BigInteger need = SaleMath.repayToTarget(s, s.collateral());
        return need.add(SaleMath.feeOf(need, KeeperFeeRule.feeBps(h.policy(), settings, gasPrice)));
    }

    /** Whether a plan brings the vault to its target in one action (what the vault asks of an early action). */
    static boolean completes(Plan plan) {
        return switch (plan) {
            case Plan.TopUp t -> t.coverage() == Plan.Coverage.FULL;
            case Plan.Sell sell -> !sell.isChunk();
            case Plan.Move m -> true;
        };
    }

    private static String describeShort(Plan plan) {
        return switch (plan) {
            case Plan.TopUp t ->
                "a top-up of " + t.amount().display() + " (" + t.coverage().describe() + ")";
            case Plan.Sell sell ->
                "a sale of " + sell.collateral().display() + " ("
                        + sell.sizing().describe() + ")";
            case Plan.Move m -> "a move of " + m.amount().display() + " from " + m.source();
        };
    }

    /** The decision for a vault the keeper may act on (over its hard trigger, or early on a prediction). */
    private static Decision decideOver(
            VaultHealth h, Snapshot s, String over, KeeperSettings settings, MarketConditions market, Instant now) {
        Policy policy = h.policy();
        if (h.paused()) return Decision.Hold.of(HoldReason.PAUSED, over + ", but the owner paused keepers");
        if (!h.keeperAllowed()) {
            return Decision.Hold.of(HoldReason.NOT_ALLOWED_KEEPER, over + ", but this keeper is not allowed");
        }
        if (h.priceFresh() && h.guard().guard().hasFeed()) {
            Instant staleAt = h.guard().feedUpdatedAt().plus(h.guard().guard().maxPriceAge());
            if (!now.plus(FEED_EXPIRY_MARGIN).isBefore(staleAt)) {
                // Fresh at this block, stale by the time an action could land: it would revert PriceStale.
                return Decision.Hold.of(
                        HoldReason.PRICE_STALE,
                        over + ", but the vault's price feed turns stale at " + staleAt
                                + ", before an action sent now could land (" + feedUpdate(h, now) + ")");
            }
        }
        if (!h.priceFresh()) {
            // Every keeper action would revert in the vault's price guard; a person must look at the feed.
            return Decision.Hold.of(
                    HoldReason.PRICE_STALE,
                    over + ", but the vault's price guard refuses keepers: "
                            + h.guard().priceStatus().describe() + " (" + feedUpdate(h, now) + ")");
        }
        // A move is checked before the cooldown: it neither needs nor starts this vault's (only the source's counts,
        // and the book gives a source only when it is out of its own).
        Optional<Decision> move = move(h, s, settings, market, now);
        if (move.isPresent()) return move.get();
        if (!policy.cooldown().isZero()) {
            // The contract: block.timestamp < lastActionAt + cooldown reverts CoolingDown.
            Instant until = h.lastActionAt().plus(policy.cooldown());
            if (now.isBefore(until)) {
                return new Decision.Hold(
                        HoldReason.COOLING_DOWN, over + ", cooling down until " + until, Optional.of(until));
            }
        }
        if (s.value(s.collateral()).signum() == 0) {
            return Decision.Hold.of(
                    HoldReason.SALE_CANNOT_HELP, over + ", and the collateral is worth 0 at the oracle price");
        }

        Urgency urgency = UrgencyModel.assess(
                s.ltvBefore(),
                s.triggerWad(),
                h.lltv(),
                market.priceMovePerBlockBps(),
                settings.volatilityHorizonBlocks());
        int feeBps = KeeperFeeRule.feeBps(policy, settings, market.gasPrice());
        Instant deadline = now.plus(settings.txDeadline());

        BigInteger need = SaleMath.repayToTarget(s, s.collateral());
        if (need.compareTo(market.minimumRepay()) < 0) {
            return Decision.Hold.of(
                    HoldReason.BELOW_MINIMUM_SIZE,
                    over + ", but repaying " + loan(s, need) + " is under the minimum "
                            + loan(s, market.minimumRepay()));
        }
        if (h.reserve().compareTo(need) >= 0) {
            return topUp(s, need, h.reserve(), feeBps, deadline, Plan.Coverage.FULL, urgency);
        }
        if (!s.early() && !cannotWaitABlock(urgency)) {
            Optional<Decision> first =
                    reserveFirst(s, need, h.reserve(), feeBps, deadline, urgency, market.minimumRepay());
            if (first.isPresent()) return first.get();
        }
        return sell(s, settings, market, feeBps, h.reserve(), deadline, urgency);
    }

    /**
     * A move from the source the book set aside, when it can give all the collateral this vault needs to reach its
     * target: the cheapest action (no swap, no fee, the owner's equity unchanged). A move that cannot reach the target
     * is not made: the sale or top-up that would still follow costs what it costs either way, and a move the source
     * could give later is kept for it.
     */
    private static Optional<Decision> move(
            VaultHealth h, Snapshot s, KeeperSettings settings, MarketConditions market, Instant now) {
        if (market.moveSource().isEmpty()) return Optional.empty();
        MoveSource src = market.moveSource().get();
        BigInteger needed =
                Ltv.collateralForLtv(s.debt(), s.price(), s.targetWad()).subtract(s.collateral());
        if (needed.signum() <= 0 || needed.compareTo(src.spare()) > 0) return Optional.empty();
        BigInteger after = Ltv.ltv(s.collateral().add(needed), s.debt(), s.price());
        if (after.compareTo(s.ltvBefore()) >= 0) return Optional.empty();
        Urgency urgency = UrgencyModel.assess(
                s.ltvBefore(),
                s.triggerWad(),
                h.lltv(),
                market.priceMovePerBlockBps(),
                settings.volatilityHorizonBlocks());
        BigInteger repay = SaleMath.repayToTarget(s, s.collateral());
        int feeBps = KeeperFeeRule.feeBps(h.policy(), settings, market.gasPrice());
        BigInteger fee = SaleMath.feeOf(repay, feeBps);
        int slippage = Math.min(market.expectedSlippageBps(), s.maxSlippageBps());
        BigInteger slipped = repay.multiply(BigInteger.valueOf(slippage)).divide(Ltv.BPS);
        // The collateral a sale repaying as much would sell, at the oracle price: an Aave sale that large pays the
        // pool's flash-loan premium too.
        BigInteger premium = s.flashPremium(Ltv.divUp(repay.multiply(Ltv.PRICE_SCALE), s.price()), repay);
        String alternatives = "costs the owner nothing (no swap, no fee); a top-up of " + loan(s, repay)
                + " would pay a fee of " + loan(s, fee) + " (reserve " + loan(s, h.reserve()) + "), a sale about "
                + loan(s, fee.add(slipped).add(premium)) + " in fee"
                + (premium.signum() > 0 ? ", flash-loan premium" : "") + " and " + slippage + " bps slippage";
        return Optional.of(new Decision.Act(
                new Plan.Move(
                        src.vault(),
                        h.collateralToken().amount(needed),
                        s.ltvBefore(),
                        after,
                        s.targetWad(),
                        src.ltv(),
                        src.ltvAfter(needed),
                        alternatives,
                        now.plus(settings.txDeadline())),
                urgency));
    }

    /**
     * Blocks to liquidation, at the recent adverse price move per block, within which a vault cannot wait for a sale
     * planned after a top-up: the top-up takes a block, the sale planned at the next head another, and one more is
     * margin for inclusion.
     */
    public static final int CANNOT_WAIT_BLOCKS = 3;

    /**
     * Whether one more block could be too late, per the urgency model: the recent move, sustained, liquidates the vault
     * within {@link #CANNOT_WAIT_BLOCKS} blocks, or its LTV is in the last tenth of the way from the trigger to the
     * liquidation LTV ({@link Urgency#CRITICAL_FROM}). Then the sale for the whole repayment goes at once and the
     * reserve is kept. (The fee policy's urgency is broader: a move that liquidates within the volatility horizon
     * already pays urgent fees, and a split still reaches the target a block later.)
     */
    static boolean cannotWaitABlock(Urgency urgency) {
        return urgency.blocksToLiquidation() <= CANNOT_WAIT_BLOCKS || urgency.ltvComponent() >= Urgency.CRITICAL_FROM;
    }

    /**
     * A top-up with everything the reserve holds (amount plus fee within it), short of the target: the sale of the rest
     * is planned at the next block from the chain as it is then (the vault starts no cooldown while LTV stays at or
     * above the trigger, and none is needed if the top-up brings it under). Empty when the reserve is empty or covers
     * less than {@link #RESERVE_FIRST_MIN_SHARE_BPS} of the need or than the market's minimum, or when the top-up would
     * not lower LTV.
     */
    private static Optional<Decision> reserveFirst(
            Snapshot s,
            BigInteger need,
            BigInteger reserve,
            int feeBps,
            Instant deadline,
            Urgency urgency,
            BigInteger minimumRepay) {
        BigInteger amount = reserve.multiply(Ltv.BPS).divide(Ltv.BPS.add(BigInteger.valueOf(feeBps)));
        BigInteger share =
                need.multiply(BigInteger.valueOf(RESERVE_FIRST_MIN_SHARE_BPS)).divide(Ltv.BPS);
        if (amount.signum() == 0 || amount.compareTo(share) < 0 || amount.compareTo(minimumRepay) < 0)
            return Optional.empty();
        Decision d = topUp(s, amount, reserve, feeBps, deadline, Plan.Coverage.RESERVE_FIRST, urgency);
        return d instanceof Decision.Act ? Optional.of(d) : Optional.empty();
    }

    private static Decision topUp(
            Snapshot s,
            BigInteger amount,
            BigInteger reserve,
            int feeBps,
            Instant deadline,
            Plan.Coverage coverage,
            Urgency urgency) {
        // The vault requires amount + fee <= reserve: the fee gives way first, since the owner's cheapest path wins.
        // It may not exceed the equity allowance either (EquityLoss).
        BigInteger fee =
                SaleMath.feeOf(amount, feeBps).min(reserve.subtract(amount)).min(s.equityAllowance());
        BigInteger ltvAfter = Ltv.ltv(s.collateral(), s.debt().subtract(amount.min(s.debt())), s.price());
        boolean inRange =
                coverage == Plan.Coverage.FULL ? s.inTargetRange(ltvAfter) : ltvAfter.compareTo(s.floorWad()) >= 0;
        if (!inRange || ltvAfter.compareTo(s.ltvBefore()) >= 0) {
            return Decision.Hold.of(
                    HoldReason.BAND_UNREACHABLE,
                    "a top-up of " + loan(s, amount) + " would leave LTV at " + Ltv.percent(ltvAfter) + ", outside "
                            + window(s));
        }
        return new Decision.Act(
                new Plan.TopUp(
                        s.loanToken().amount(amount),
                        s.loanToken().amount(fee),
                        coverage,
                        s.ltvBefore(),
                        ltvAfter,
                        s.targetWad(),
                        deadline),
                urgency);
    }

    private static Decision sell(
            Snapshot s,
            KeeperSettings settings,
            MarketConditions market,
            int feeBps,
            BigInteger reserve,
            Instant deadline,
            Urgency urgency) {
        // A sale below the oracle floor reverts, so no sale is sized for more slippage than the policy allows.
        int slippage = Math.min(market.expectedSlippageBps(), s.maxSlippageBps());
        ProceedsModel model = new ProceedsModel.AtSlippage(s.price(), slippage, s.maxSlippageBps());
        if (s.windowSellLeft().signum() == 0) {
            return partialTopUpOrHold(
                    s,
                    reserve,
                    feeBps,
                    deadline,
                    urgency,
                    HoldReason.RATE_LIMITED,
                    "the owner's rate limit has nothing left to sell in this window");
        }
        BigInteger bounded = SaleMath.capFor(s, market.liquidityCap());
        Sizing.Cap capReason = capReason(s, market.liquidityCap());
        // A larger sale at the expected rate could not cover the vault's equity floor with the fee.
        BigInteger cap = SaleMath.equityCap(s, model, feeBps, bounded);
        if (cap.compareTo(bounded) < 0) capReason = Sizing.Cap.EQUITY_BOUND;
        if (cap.signum() == 0 && bounded.signum() > 0) {
            return partialTopUpOrHold(
                    s,
                    reserve,
                    feeBps,
                    deadline,
                    urgency,
                    HoldReason.SALE_CANNOT_HELP,
                    "at " + slippage + " bps slippage no sale repays the vault's equity floor (value sold - "
                            + loan(s, s.equityAllowance()) + " of equity the policy lets an action lose)");
        }

        Optional<BigInteger> full = SaleMath.targetSize(s, model, feeBps, cap);
        if (full.isPresent()) {
            BigInteger x = full.get();
            SaleFigures f = SaleMath.sale(s, x, model, feeBps);
            if (!s.inTargetRange(f.ltvAfter()) || !f.lowersLtv(s)) return bandUnreachable(s, f);
            // An early action must end at the target or under it: a route's worse rate may take more collateral than
            // the oversell tolerance allows, up to the caps; the floor (target - band) still bounds it.
            BigInteger max =
                    s.early() ? cap : SaleMath.maxCollateral(s, model, feeBps, x, settings.oversellToleranceBps());
            return new Decision.Act(sellPlan(s, f, max, slippage, new Sizing.Full()), urgency);
        }

        SaleFigures chunk = cap.signum() > 0 ? SaleMath.sale(s, cap, model, feeBps) : null;
        if (chunk == null || !chunk.coversFloor() || !chunk.lowersLtv(s)) {
            boolean limited = capReason == Sizing.Cap.RATE_LIMIT;
            String why = "selling " + (chunk == null ? "collateral" : coll(s, chunk.collateral())) + " (capped by "
                    + capReason.describe() + ") at " + slippage + " bps slippage cannot lower LTV "
                    + Ltv.percent(s.ltvBefore()) + " by the vault's minimum of 0.1 point (or the cap is 0)";
            return partialTopUpOrHold(
                    s,
                    reserve,
                    feeBps,
                    deadline,
                    urgency,
                    limited ? HoldReason.RATE_LIMITED : HoldReason.SALE_CANNOT_HELP,
                    why);
        }
        if (chunk.reachesTarget()) {
            // The capped sale still lands on the target if the keeper takes less than its full fee.
            if (!s.inTargetRange(chunk.ltvAfter())) return bandUnreachable(s, chunk);
            return new Decision.Act(sellPlan(s, chunk, cap, slippage, new Sizing.Full()), urgency);
        }
        if (chunk.ltvAfter().compareTo(s.floorWad()) < 0) return bandUnreachable(s, chunk);
        Optional<TokenAmount> needed = SaleMath.smallestReachingTarget(
                        s, model, feeBps, SaleMath.equityCap(s, model, feeBps, s.collateral()))
                .map(s.collateralToken()::amount);
        int chunks = SaleMath.estimateChunks(s, model, feeBps, market.liquidityCap());
        Sizing sizing = new Sizing.Chunk(capReason, chunks, needed);
        // A chunk cut by the equity bound at the assumed slippage may grow if a route's quote is better: the sizer
        // checks the bound again at the quote's rate, up to the vault's other caps.
        BigInteger max = capReason == Sizing.Cap.EQUITY_BOUND ? bounded : cap;
        return new Decision.Act(sellPlan(s, chunk, max, slippage, sizing), urgency);
    }

    /** What limits a sale before the equity bound: the smallest of the per-call cap, the window and the liquidity. */
    private static Sizing.Cap capReason(Snapshot s, Optional<BigInteger> liquidityCap) {
        BigInteger rules = s.sellCap();
        if (liquidityCap.isPresent() && liquidityCap.get().compareTo(rules) < 0) return Sizing.Cap.LIQUIDITY;
        return s.windowSellLeft().compareTo(s.maxSell()) < 0 ? Sizing.Cap.RATE_LIMIT : Sizing.Cap.MAX_SELL_BPS;
    }

    private static String feedUpdate(VaultHealth h, Instant now) {
        Instant at = h.guard().feedUpdatedAt();
        if (at.equals(Instant.EPOCH)) return "the feed's last update could not be read";
        long age = java.time.Duration.between(at, now).getSeconds();
        return "feed last updated " + at + (age >= 0 ? ", " + age + " s ago" : "") + ", max age "
                + h.guard().guard().maxPriceAge().getSeconds() + " s";
    }

    private static Decision partialTopUpOrHold(
            Snapshot s,
            BigInteger reserve,
            int feeBps,
            Instant deadline,
            Urgency urgency,
            HoldReason reason,
            String why) {
        // Everything the reserve holds, the fee included: amount * (1 + fee) <= reserve, rounded down.
        BigInteger amount = reserve.multiply(Ltv.BPS).divide(Ltv.BPS.add(BigInteger.valueOf(feeBps)));
        if (amount.signum() == 0) {
            return Decision.Hold.of(reason, why + ", and the reserve is empty");
        }
        return topUp(s, amount, reserve, feeBps, deadline, Plan.Coverage.PARTIAL_RESERVE, urgency);
    }

    private static Decision bandUnreachable(Snapshot s, SaleFigures f) {
        return Decision.Hold.of(
                HoldReason.BAND_UNREACHABLE,
                "selling " + coll(s, f.collateral())
                        + " would leave LTV at " + Ltv.percent(f.ltvAfter()) + ", outside " + window(s)
                        + " or not lower than "
                        + Ltv.percent(s.ltvBefore()));
    }

    private static String window(Snapshot s) {
        return "[" + Ltv.percent(s.floorWad()) + ", " + Ltv.percent(s.ceilingWad()) + "]";
    }

    private static Plan.Sell sellPlan(
            Snapshot s, SaleFigures f, BigInteger maxCollateral, int slippage, Sizing sizing) {
        return new Plan.Sell(
                s.collateralToken().amount(f.collateral()),
                s.collateralToken().amount(maxCollateral),
                s.loanToken().amount(f.proceeds()),
                s.loanToken().amount(f.oracleFloor()),
                s.loanToken().amount(f.repaid()),
                s.loanToken().amount(f.keeperFee()),
                slippage,
                sizing,
                s.ltvBefore(),
                f.ltvAfter(),
                s.targetWad());
    }

    private static String loan(Snapshot s, BigInteger units) {
        return s.loanToken().amount(units).display();
    }

    private static String coll(Snapshot s, BigInteger units) {
        return s.collateralToken().amount(units).display();
    }
}
