package io.unwind.engine;

import io.unwind.chain.ChainClient;
import io.unwind.chain.vault.HedgeCalls;
import io.unwind.chain.vault.HedgeReads;
import io.unwind.chain.vault.VaultErrors;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeeDecision;
import io.unwind.domain.fee.GasLimit;
import io.unwind.domain.hedge.HedgeDecision;
import io.unwind.domain.hedge.HedgeRules;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.Planner;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Prediction;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.route.Quote;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.VaultOutcome.Kind;
import io.unwind.route.QuoteRequest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keeper's hedging desk: at each head, for every vault with a hedge (an UnwindHedge, see docs/HEDGE.md) read in
 * this tick, reads the hedge at the same block, decides by {@link HedgeRules}, routes the swap (either direction) and
 * sends the hedge's call through the journal, under the hedge's own address so that it never takes the vault's slot.
 *
 * <p>It runs before the vaults are planned, and tells the tick which vaults it has dealt with: an early vault whose
 * short was opened is not also sold early; a vault over its trigger whose hedge releases profit to its reserve waits
 * one block for it and is then topped up (unless it is half-way from its trigger to liquidation: then it is also
 * deleveraged as usual).
 */
public final class Hedger {
    private static final Logger log = LoggerFactory.getLogger(Hedger.class);

    /** Buys back this much more than the short at the expected price, so that a whole buy-back repays it all. */
    static final int WHOLE_BUYBACK_EXTRA_BPS = 30;

    /** How the keeper prices a transaction at an urgency (its fee policy and the block's fee history). */
    @FunctionalInterface
    interface Fees {
        FeeDecision decide(Urgency urgency);
    }

    /** A hedge's last reading and decision, for the status page and metrics. */
    public record View(HedgeState state, VaultHealth vault, String decision, long block) {}

    private final ChainClient chain;
    private final HedgeReads reads;
    private final RouteFinder routes;
    private final TxSubmitter tx;
    private final Address keeper;
    private final EngineSettings settings;
    private final KeeperEvents events;
    /** Vault -> its hedge. */
    private final Map<Address, Address> hedges;

    private final Map<Address, View> views = new ConcurrentHashMap<>();
    /** Hedges whose profit release was sent and may still be in flight. */
    private final java.util.Set<Address> releasing = ConcurrentHashMap.newKeySet();

    /**
     * The block each hedged vault was last held for a release: it is held once in {@link #HOLD_AGAIN_AFTER_BLOCKS}, so
     * that releases that do not land (a reverted one, a price that took the profit back) never keep it from its sale.
     */
    private final Map<Address, Long> heldAt = new ConcurrentHashMap<>();

    static final long HOLD_AGAIN_AFTER_BLOCKS = 5;

    /** The last block the risk model found each hedged vault in danger. */
    private final Map<Address, Long> predictedAt = new ConcurrentHashMap<>();

    Hedger(
            ChainClient chain,
            RouteFinder routes,
            TxSubmitter tx,
            Address keeper,
            EngineSettings settings,
            KeeperEvents events,
            Map<Address, Address> hedges) {
        this.chain = chain;
        this.reads = new HedgeReads(chain);
        this.routes = routes;
        this.tx = tx;
        this.keeper = keeper;
        this.settings = settings;
        this.events = events;
        this.hedges = Map.copyOf(hedges);
    }

    boolean active() {
        return !hedges.isEmpty();
    }

    /** Every hedge's last reading, by hedge. */
    Map<Address, View> views() {
        return Map.copyOf(views);
    }

    /**
     * Decides and sends this head's hedge actions. Vaults the desk has dealt with are taken out of {@code acting} (the
     * vaults the tick will plan), each with its outcome added to {@code outcomes}.
     */
    void tick(
            BlockRef head,
            List<VaultHealth> read,
            Map<Address, Prediction> predicted,
            List<VaultHealth> acting,
            List<VaultOutcome> outcomes,
            Fees fees) {
        pending.clear();
        for (VaultHealth h : read) {
            Address hedge = hedges.get(h.vault());
            if (hedge == null) continue;
            try {
                handle(hedge, h, head, predicted, acting, outcomes, fees);
            } catch (RuntimeException e) {
                log.warn("hedge {} of vault {}: {} (left alone this block)", hedge, h.vault(), e.toString());
            }
        }
    }

    private void handle(
            Address hedge,
            VaultHealth h,
            BlockRef head,
            Map<Address, Prediction> predicted,
            List<VaultHealth> acting,
            List<VaultOutcome> outcomes,
            Fees fees) {
        Optional<String> flying = tx.inFlight(hedge, head.number());
        if (flying.isEmpty()) releasing.remove(hedge);
        if (flying.isPresent()) {
            // A release on its way: the vault waits for it rather than selling what the release will repay.
            Long last = heldAt.get(h.vault());
            if (releasing.contains(hedge) && last != null && last == head.number() - 1 && acting.remove(h)) {
                outcomes.add(VaultOutcome.of(
                        h.vault(), Kind.IN_FLIGHT, "waiting for its hedge's profit: " + flying.get(), h.ltv()));
            }
            return;
        }
        if (!belongs(hedge, h, head)) return;
        HedgeState s = reads.read(hedge, head);
        Optional<Prediction> p = Optional.ofNullable(predicted.get(h.vault()));
        boolean danger;
        String why;
        if (p.isPresent()) {
            danger = true;
            why = p.get().describe();
        } else if (!h.softTrigger().isSet()) {
            danger = h.ltv().compareTo(Ltv.bpsToWad(s.policy().openLtvBps())) >= 0;
            why = "LTV " + Ltv.percent(h.ltv()) + " at or over the owner's open LTV, no soft trigger to predict with";
        } else {
            danger = false;
            why = "";
        }
        if (p.isPresent()) predictedAt.put(h.vault(), head.number());
        Long lastPredicted = predictedAt.get(h.vault());
        boolean recently = lastPredicted != null
                && head.number() - lastPredicted < settings.keeper().volatilityHorizonBlocks();
        HedgeRules.Context c = new HedgeRules.Context(
                head.timestamp(),
                danger,
                why,
                settings.keeper().keeperFeeBps(),
                Math.min(settings.expectedSlippageBps(), s.policy().maxSlippageBps()),
                Planner.topUpNeed(h, settings.keeper(), Wei.ZERO),
                recently);
        HedgeDecision d = HedgeRules.decide(s, h, c);
        views.put(hedge, new View(s, h, d.why(), head.number()));
        switch (d) {
            case HedgeDecision.Hold hold -> log.debug("hedge {}: {}", hedge, hold.why());
            case HedgeDecision.Open o -> {
                Optional<String> sent = open(hedge, h, s, o, head, fees);
                if (sent.isPresent() && !h.overTrigger() && acting.remove(h)) {
                    outcomes.add(new VaultOutcome(
                            h.vault(),
                            Kind.SUBMITTED,
                            "hedged instead of an early sale: " + o.why(),
                            Optional.of(h.ltv()),
                            Optional.empty(),
                            Optional.of("hedge")));
                }
            }
            case HedgeDecision.BuyBack b -> buyBack(hedge, h, s, b, head, fees);
            case HedgeDecision.Release r -> {
                Optional<String> sent = send(
                        hedge,
                        h,
                        HedgeCalls.releaseProfit(r.amount(), deadline(head)),
                        TxKind.HEDGE_RELEASE,
                        "release " + h.loanToken().amount(r.amount()).display() + " of hedge profit to the vault",
                        r.why(),
                        Urgency.ofScore(Urgency.URGENT_FROM),
                        head,
                        fees);
                if (sent.isPresent()) releasing.add(hedge);
                BigInteger halfway = h.triggerLtv().add(h.lltv()).divide(BigInteger.TWO);
                Long last = heldAt.get(h.vault());
                boolean mayHold = last == null || head.number() - last >= HOLD_AGAIN_AFTER_BLOCKS;
                if (sent.isPresent() && mayHold && h.ltv().compareTo(halfway) < 0 && acting.remove(h)) {
                    heldAt.put(h.vault(), head.number());
                    outcomes.add(VaultOutcome.of(
                            h.vault(),
                            Kind.HELD,
                            "waiting for its hedge's profit: " + r.why() + " (top-up next block)",
                            h.ltv()));
                }
            }
        }
    }

    /** Hedges found to protect another vault than the config says: left alone, said once. */
    private final java.util.Set<Address> misconfigured = ConcurrentHashMap.newKeySet();

    /**
     * Whether {@code hedge} is the hedge of {@code h}'s vault, as the config says: a hedge of another vault would be
     * judged against the wrong position. Read once per hedge (a hedge's vault never changes).
     */
    private boolean belongs(Address hedge, VaultHealth h, BlockRef head) {
        if (misconfigured.contains(hedge)) return false;
        Address actual = reads.vaultOf(hedge, head);
        if (actual.equals(h.vault())) return true;
        misconfigured.add(hedge);
        log.error(
                "hedges: {} is the hedge of vault {}, not of vault {} as the config says; it is left alone until the"
                        + " config names its own vault (`unwind hedge show --hedge {}` says which) and the keeper"
                        + " restarts",
                hedge,
                actual,
                h.vault(),
                hedge);
        return false;
    }

    /**
     * The most halvings of a hedge swap that finds no route within the hedge's floor: the pools take a smaller one
     * within it (a short grows over several opens, a buy-back comes in pieces), as a sale is chunked by liquidity.
     */
    static final int MAX_HALVINGS = 4;

    private Optional<String> open(
            Address hedge, VaultHealth h, HedgeState s, HedgeDecision.Open o, BlockRef head, Fees fees) {
        int feeBps = Math.min(settings.keeper().keeperFeeBps(), s.policy().maxFeeBps());
        BigInteger assets = o.assets();
        for (int halving = 0; halving <= MAX_HALVINGS; halving++, assets = assets.divide(BigInteger.TWO)) {
            QuoteRequest req = new QuoteRequest(
                    hedge,
                    h.collateralToken(),
                    h.loanToken(),
                    assets,
                    head.hash(),
                    deadlineInstant(head),
                    routes.routeSlippageBps());
            BigInteger floor = Ltv.oracleFloor(assets, h.price(), s.policy().maxSlippageBps());
            for (Quote q : routes.hedgeQuotes(req, h.vault(), head)) {
                if (q.minOut().compareTo(floor) < 0) continue;
                BigInteger fee = Ltv.collateralValue(assets, h.price())
                        .multiply(BigInteger.valueOf(feeBps))
                        .divide(Ltv.BPS)
                        .min(q.minOut().subtract(floor));
                byte[] data = HedgeCalls.open(assets, q.router(), q.calldata().bytes(), deadline(head), fee);
                return send(
                        hedge,
                        h,
                        data,
                        TxKind.HEDGE,
                        "short " + h.collateralToken().amount(assets).display() + " via " + q.source() + " for >= "
                                + h.loanToken().amount(q.minOut()).display() + " (fee "
                                + h.loanToken().amount(fee).display() + ")"
                                + (halving == 0
                                        ? ""
                                        : ", part of "
                                                + h.collateralToken()
                                                        .amount(o.assets())
                                                        .display()
                                                + ": the pools take no more within the hedge's "
                                                + s.policy().maxSlippageBps() + " bps floor"),
                        o.why(),
                        Urgency.ofScore(Urgency.URGENT_FROM),
                        head,
                        fees);
            }
        }
        log.info(
                "hedge {}: no route for a short of {} (nor of a sixteenth of it) within its floor of {} bps under the"
                        + " oracle",
                hedge,
                h.collateralToken().amount(o.assets()).display(),
                s.policy().maxSlippageBps());
        return Optional.empty();
    }

    private void buyBack(
            Address hedge, VaultHealth h, HedgeState s, HedgeDecision.BuyBack b, BlockRef head, Fees fees) {
        int feeBps = Math.min(settings.keeper().keeperFeeBps(), s.policy().maxFeeBps());
        BigInteger target = b.whole()
                ? b.assets()
                        .multiply(BigInteger.valueOf(10_000 + WHOLE_BUYBACK_EXTRA_BPS))
                        .divide(Ltv.BPS)
                : b.assets();
        // Sized from a first quote: L in for the C wanted at the pools' price, then quoted again at that size.
        BigInteger guess = Ltv.collateralValue(target, h.price())
                .multiply(BigInteger.valueOf(10_000 + settings.expectedSlippageBps()))
                .divide(Ltv.BPS)
                .max(BigInteger.ONE);
        BigInteger swapIn = guess;
        List<Quote> first = routes.hedgeQuotes(request(hedge, h, guess, head), h.vault(), head);
        if (!first.isEmpty() && first.get(0).expectedOut().signum() > 0) {
            swapIn = guess.multiply(target).divide(first.get(0).expectedOut()).max(BigInteger.ONE);
        }
        BigInteger fee = swapIn.multiply(BigInteger.valueOf(feeBps)).divide(BigInteger.valueOf(10_000L - feeBps));
        BigInteger spend = swapIn.add(fee);
        // The venue lets only so much margin go before the repayment: a larger buy-back is made in several.
        BigInteger most = s.withdrawable(h.price());
        if (spend.compareTo(most) > 0) {
            spend = most;
            fee = spend.multiply(BigInteger.valueOf(feeBps)).divide(Ltv.BPS);
            swapIn = spend.subtract(fee);
        }
        for (int halving = 0; halving <= MAX_HALVINGS && swapIn.signum() > 0; halving++) {
            // C worth what is sold at the price, less the slippage the owner allows (the contract's floor, rounded up).
            BigInteger floor = Ltv.divUp(swapIn.multiply(Ltv.PRICE_SCALE), h.price())
                    .multiply(BigInteger.valueOf(10_000L - s.policy().maxSlippageBps()))
                    .add(BigInteger.valueOf(9_999))
                    .divide(Ltv.BPS);
            for (Quote q : routes.hedgeQuotes(request(hedge, h, swapIn, head), h.vault(), head)) {
                if (q.minOut().compareTo(floor) < 0) continue;
                byte[] data = HedgeCalls.close(spend, q.router(), q.calldata().bytes(), deadline(head), fee);
                send(
                        hedge,
                        h,
                        data,
                        TxKind.UNHEDGE,
                        "buy back >= " + h.collateralToken().amount(q.minOut()).display() + " of the short "
                                + h.collateralToken().amount(s.shorted()).display() + " via " + q.source() + " for "
                                + h.loanToken().amount(swapIn).display() + " (fee "
                                + h.loanToken().amount(fee).display()
                                + ")"
                                + (halving == 0 ? "" : ": the pools take no more within the hedge's floor"),
                        b.why(),
                        Urgency.ofScore(b.atTrigger() ? Urgency.CRITICAL_FROM : 0.1),
                        head,
                        fees);
                return;
            }
            swapIn = swapIn.divide(BigInteger.TWO);
            fee = swapIn.multiply(BigInteger.valueOf(feeBps)).divide(BigInteger.valueOf(10_000L - feeBps));
            spend = swapIn.add(fee);
        }
        log.info(
                "hedge {}: no route to buy back {} (nor a sixteenth of it) within its floor of {} bps under the oracle",
                hedge,
                h.collateralToken().amount(target).display(),
                s.policy().maxSlippageBps());
    }

    private QuoteRequest request(Address hedge, VaultHealth h, BigInteger amountIn, BlockRef head) {
        return new QuoteRequest(
                hedge,
                h.loanToken(),
                h.collateralToken(),
                amountIn,
                head.hash(),
                deadlineInstant(head),
                routes.routeSlippageBps());
    }

    /** Checks the call at the latest block, prices it and sends it; the summary, if it was journaled. */
    private Optional<String> send(
            Address hedge,
            VaultHealth h,
            byte[] data,
            TxKind kind,
            String what,
            String why,
            Urgency urgency,
            BlockRef head,
            Fees fees) {
        BigInteger gasLimit;
        switch (chain.estimateGas(keeper, hedge, data)) {
            case ChainClient.EstimateResult.Gas g -> gasLimit = GasLimit.KEEPER_ACTION.forEstimate(g.units());
            case ChainClient.EstimateResult.Reverted r -> {
                log.info(
                        "hedge {} of vault {}: {} would revert ({}); nothing sent",
                        hedge,
                        h.vault(),
                        what,
                        VaultErrors.explainInWords(r.revert().data()));
                return Optional.empty();
            }
        }
        FeeDecision fee = fees.decide(urgency);
        Optional<Eip1559Fees> toSend = fee.toSend();
        if (toSend.isEmpty()) {
            log.info("hedge {}: {} waits for gas: {}", hedge, what, fee.why());
            return Optional.empty();
        }
        String summary = kind.describe() + ": " + what + ". Why: " + why;
        pending.add(new Prepared(
                h,
                new TxSubmitter.Action(
                        kind.label() + ":" + hedge.hex() + ":" + head.number(),
                        hedge,
                        hedge,
                        data,
                        gasLimit,
                        toSend.get(),
                        kind,
                        summary,
                        urgency,
                        head.number())));
        return Optional.of(summary);
    }

    /** A hedge action checked and priced at this head, sent once the block's book has been. */
    private record Prepared(VaultHealth vault, TxSubmitter.Action action) {}

    private final List<Prepared> pending = new java.util.ArrayList<>();

    /**
     * Sends the actions decided at {@code head}, after the block's book: a hedge's swap is less urgent than a vault's
     * deleveraging, and the book's sequence was checked without it, so its nonce comes after theirs.
     */
    void flush(BlockRef head) {
        List<Prepared> now = List.copyOf(pending);
        pending.clear();
        for (Prepared p : now) {
            TxSubmitter.Action a = p.action();
            TxSubmitter.Submission sub = tx.submit(a);
            if (!(sub instanceof TxSubmitter.Submission.Journaled journaled)) {
                log.info("hedge {}: {} not submitted: {}", a.to(), a.summary(), sub.detail());
                continue;
            }
            Optional<TxHash> hash = journaled.hash();
            log.info(
                    "vault {} LTV {}: hedge {}: {} tx {}",
                    p.vault().vault(),
                    Ltv.percent(p.vault().ltv()),
                    a.to(),
                    a.summary(),
                    hash.map(Object::toString).orElse(sub.detail()));
            events.submitted(p.vault(), head, a.kind(), "hedge", hash);
        }
    }

    private BigInteger deadline(BlockRef head) {
        return BigInteger.valueOf(deadlineInstant(head).getEpochSecond());
    }

    private Instant deadlineInstant(BlockRef head) {
        return head.timestamp().plus(settings.keeper().txDeadline());
    }
}
