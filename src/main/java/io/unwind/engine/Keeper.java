package io.unwind.engine;

import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.chain.FeeHistoryData;
import io.unwind.chain.vault.PortfolioCalls;
import io.unwind.chain.vault.SequenceSimulator;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultErrors;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.chain.vault.VaultReads;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeeDecision;
import io.unwind.domain.fee.FeeHistory;
import io.unwind.domain.fee.FeePolicy;
import io.unwind.domain.fee.GasLimit;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.ActReason;
import io.unwind.domain.plan.Chunking;
import io.unwind.domain.plan.Decision;
import io.unwind.domain.plan.HoldReason;
import io.unwind.domain.plan.MarketConditions;
import io.unwind.domain.plan.MoveSource;
import io.unwind.domain.plan.OwnerResources;
import io.unwind.domain.plan.Plan;
import io.unwind.domain.plan.Planner;
import io.unwind.domain.portfolio.PortfolioLinks;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.MarketTracker;
import io.unwind.domain.risk.Prediction;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.route.Candidate;
import io.unwind.domain.route.RejectReason;
import io.unwind.domain.route.Simulation;
import io.unwind.domain.scan.ScanPlan;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.VaultOutcome.Kind;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tick of the keeper for one chain: settle transactions, read every watched vault at the new head (one block hash
 * for every read), decide per vault, and for those that must act find the cheapest safe route, price gas by urgency,
 * simulate the exact call, and submit it through the journal. Returns what happened to every vault.
 */
public final class Keeper {
    private static final Logger log = LoggerFactory.getLogger(Keeper.class);
    /**
     * Vaults already named for having no price guard: once each per process (INFO: the owner's choice, not a fault).
     */
    private final java.util.Set<Address> unguarded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ChainClient chain;
    private final VaultDirectory directory;
    private final VaultLensReader lens;
    private final RouteFinder routes;
    private final VaultSimulator simulator;
    private final TxSubmitter tx;
    private final Address keeper;
    private final EngineSettings settings;
    private final FeePolicy feePolicy;
    private final MarketTracker markets = new MarketTracker();
    private final KeeperEvents events;
    private final ScanPlan scanPlan;
    private final java.util.concurrent.ExecutorService workers =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final SequenceSimulator sequence;
    private final VenueBackoff venues = new VenueBackoff();
    /** Each market's best venue capacity within the floor, as last probed when a sale had to be chunked. */
    private final java.util.Map<String, BigInteger> capacities = new java.util.concurrent.ConcurrentHashMap<>();
    /** Actions sent and not yet seen settled, by idempotency key: what a revert backs off. */
    private final java.util.Map<String, Sent> sent = new java.util.concurrent.ConcurrentHashMap<>();
    /** False once the node refused a sequence call (no state overrides): each action is then checked alone. */
    private volatile boolean sequencing = true;

    private record Sent(Address vault, TxKind kind, String route, long plannedAt) {}

    private final RiskTracker risk;
    private final VaultReads reads;

    /** Each vault's portfolio settings, with the block they were read at (see {@link #links}). */
    private final java.util.Map<Address, CachedLinks> links = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedLinks(PortfolioLinks links, long readAt) {}

    /**
     * Blocks a vault's portfolio settings (shared reserve, move cap, move peers) are trusted for. They are the owner's
     * settings and change rarely; a move planned on stale ones fails its simulation and the vault is planned again
     * without it in the same block, so staleness costs a call, never an action.
     */
    static final long LINKS_MAX_AGE_BLOCKS = 50;

    /** Portfolio settings refreshed in the background per block at most, off the tick's path. */
    static final int LINKS_REFRESH_PER_BLOCK = 32;

    /** What handling one vault came to: an outcome now, or an action proposed for the block's book. */
    private sealed interface Handled {
        record Done(VaultOutcome outcome) implements Handled {}

        record Proposed(Proposal proposal) implements Handled {}
    }

    public Keeper(
            ChainClient chain,
            VaultDirectory directory,
            VaultLensReader lens,
            RouteFinder routes,
            VaultSimulator simulator,
            TxSubmitter tx,
            Address keeper,
            EngineSettings settings,
            KeeperEvents events) {
        this(
                chain,
                directory,
                lens,
                routes,
                simulator,
                tx,
                keeper,
                settings,
                events,
                new RiskTracker(settings.risk(), RiskTracker.Store.NONE));
    }

    public Keeper(
            ChainClient chain,
            VaultDirectory directory,
            VaultLensReader lens,
            RouteFinder routes,
            VaultSimulator simulator,
            TxSubmitter tx,
            Address keeper,
            EngineSettings settings,
            KeeperEvents events,
            RiskTracker risk) {
        this.risk = risk;
        this.chain = chain;
        this.directory = directory;
        this.lens = lens;
        this.routes = routes;
        this.simulator = simulator;
        this.tx = tx;
        this.keeper = keeper;
        this.settings = settings;
        this.feePolicy = new FeePolicy(settings.fees());
        this.scanPlan = new ScanPlan(settings.fullScanEvery(), settings.scanMarginBps());
        this.events = events;
        this.sequence = new SequenceSimulator(chain, keeper);
        this.reads = new VaultReads(chain);
    }

    private volatile Hedger hedger;

    /**
     * Protects the vaults of {@code hedges} (vault -> its UnwindHedge) with their hedges too (see {@link Hedger}); only
     * the vaults this engine reads are hedged, so each partition's engine of a cluster may be given them all.
     */
    public Keeper withHedges(java.util.Map<Address, Address> hedges) {
        this.hedger = hedges.isEmpty() ? null : new Hedger(chain, routes, tx, keeper, settings, events, hedges);
        return this;
    }

    /** Each hedge's last reading and decision, by hedge (empty without hedges). */
    public java.util.Map<Address, Hedger.View> hedges() {
        Hedger desk = hedger;
        return desk == null ? java.util.Map.of() : desk.views();
    }

    /** The markets' volatility, the liquidation queue's stress and the measured inclusion delay. */
    public RiskTracker risk() {
        return risk;
    }

    public TickResult tick(BlockRef head) {
        long t0 = System.nanoTime();
        risk.ticked(head.number());
        // The journal's work at a head (receipts, replacements) runs while the vaults are read; it is done before any
        // vault is decided, so that a transaction mined at this head is no longer counted as in flight.
        java.util.concurrent.Future<?> confirming = workers.submit(() -> tx.onHead(head));
        List<Address> vaults = directory.vaults(head);
        VaultLensReader.Scan scan;
        try {
            scan = read(vaults, head);
        } finally {
            await(confirming);
        }
        settleSent(head);
        long t1 = System.nanoTime();

        List<VaultOutcome> outcomes = new ArrayList<>(vaults.size());
        for (var u : scan.unreadable()) outcomes.add(VaultOutcome.of(u.vault(), Kind.UNREADABLE, u.reason(), null));
        Lazy<FeeHistory> fees = new Lazy<>(() -> feeHistory());
        // Most vaults are settled by a look at their LTV; the few that must act are routed in parallel, so that one
        // vault's routing never delays another's; their actions then go into the block's book together.
        List<VaultHealth> overTrigger = new ArrayList<>();
        List<VaultHealth> early = new ArrayList<>();
        java.util.Map<Address, Double> moves = new java.util.HashMap<>();
        java.util.Set<String> priced = new java.util.HashSet<>();
        for (VaultHealth h : scan.vaults()) {
            events.observed(h, head);
            if (h.keeperAllowed() && !h.guard().guard().hasFeed() && unguarded.add(h.vault())) {
                log.info(
                        "vault {} has no price guard: keepers act on its market oracle's price alone, however old the"
                                + " feed behind it; its owner can name the feed with `unwind guard set`",
                        h.vault());
            }
            double move = h.priceKnown() ? markets.observe(h.marketId(), head.number(), h.price()) : 0;
            if (h.priceKnown() && priced.add(h.marketId())) risk.observeOracle(h.marketId(), head.number(), h.price());
            moves.put(h.vault(), move);
            if (mayAct(h)) {
                overTrigger.add(h);
            } else if (h.keeperAllowed() && h.inSoftZone()) {
                early.add(h);
            } else {
                outcomes.add(((Handled.Done) safely(h, head, move, fees, Optional.empty())).outcome());
            }
        }
        readPools(scan.vaults(), head);
        java.util.Map<Address, Prediction> predicted = new java.util.HashMap<>();
        if (!early.isEmpty()) predictEarly(early, overTrigger, head, fees, moves, predicted, outcomes);
        Hedger desk = hedger;
        if (desk != null && desk.active()) {
            desk.tick(
                    head,
                    scan.vaults(),
                    predicted,
                    overTrigger,
                    outcomes,
                    u -> feePolicy.decide(fees.get(), u, settings.caps()));
        }
        workers.submit(risk::persist);
        long budget = overTrigger.isEmpty() ? 0 : blockGasBudget(head);
        List<java.util.concurrent.Future<Handled>> acting = new ArrayList<>();
        List<VaultHealth> planned = planFirst(overTrigger, budget, head, outcomes);
        OwnerResources.Allocation owners = allocate(planned, scan.vaults(), head);
        refreshLinks(scan.vaults(), head);
        for (VaultHealth h : planned) {
            double move = moves.get(h.vault());
            Optional<Prediction> prediction = Optional.ofNullable(predicted.get(h.vault()));
            acting.add(workers.submit(() -> {
                routing.acquireUninterruptibly();
                try {
                    return safely(h, head, move, fees, prediction, owners);
                } finally {
                    routing.release();
                }
            }));
        }
        List<Proposal> proposals = new ArrayList<>();
        for (var f : acting) {
            try {
                switch (f.get()) {
                    case Handled.Done d -> outcomes.add(d.outcome());
                    case Handled.Proposed p -> proposals.add(p.proposal());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a tick", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a vault's handling failed: " + e.getCause(), e.getCause());
            }
        }
        if (!proposals.isEmpty()) outcomes.addAll(book(proposals, head, budget, System.nanoTime() - t1));
        if (desk != null && desk.active()) desk.flush(head);
        long t2 = System.nanoTime();
        TickResult r = new TickResult(
                head, outcomes, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t2 - t0));
        events.ticked(r);
        return r;
    }

    /** The pool each market's price series is read from (a fee tier), so that it stays one series. */
    private final java.util.Map<String, String> poolSources = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Reads, off the tick's path, the pool price of each market where some vault has a soft trigger (the only vaults a
     * volatility estimate acts on): the second price source, which counts while the market's oracle is quiet. One quote
     * round of the on-chain pools per such market per block; the estimate is updated for the next tick.
     */
    private void readPools(List<VaultHealth> healths, BlockRef head) {
        java.util.Map<String, VaultHealth> one = new java.util.HashMap<>();
        for (VaultHealth h : healths) {
            if (h.softTrigger().isSet() && h.priceKnown()) one.putIfAbsent(h.marketId(), h);
        }
        for (VaultHealth h : one.values()) {
            workers.submit(() -> {
                try {
                    routes.poolPrice(h, head, Optional.ofNullable(poolSources.get(h.marketId())))
                            .ifPresent(pp -> {
                                poolSources.put(h.marketId(), pp.source());
                                risk.observePool(h.marketId(), head.number(), pp.price());
                            });
                } catch (RuntimeException e) {
                    log.debug("pool price of market {}: {}", h.marketId(), e.toString());
                }
            });
        }
    }

    /**
     * The vaults between their soft and hard triggers: each one's probability of liquidation before its exit could
     * complete (see {@link RiskTracker}). Those above their owner's threshold join the vaults to act on (the book
     * serves them after the ones over their hard trigger, which have less room); the others are healthy, with the
     * numbers. The exit time counts the block's queue: the vaults over their trigger in the same market, over what one
     * block's share carries.
     */
    private void predictEarly(
            List<VaultHealth> early,
            List<VaultHealth> overTrigger,
            BlockRef head,
            Lazy<FeeHistory> fees,
            java.util.Map<Address, Double> moves,
            java.util.Map<Address, Prediction> predicted,
            List<VaultOutcome> outcomes) {
        java.util.Map<String, Integer> ahead = new java.util.HashMap<>();
        for (VaultHealth h : overTrigger) ahead.merge(h.marketId(), 1, Integer::sum);
        long perBlock = ahead.isEmpty() ? 1 : Math.max(1, blockGasBudget(head) / Book.UNMEASURED_GAS);
        for (VaultHealth h : early) {
            MarketConditions conditions = new MarketConditions(
                    Math.min(settings.expectedSlippageBps(), h.policy().maxSlippageBps()),
                    moves.getOrDefault(h.vault(), 0.0),
                    Wei.ZERO,
                    BigInteger.ZERO,
                    Optional.ofNullable(capacities.get(h.marketId()))
                            .or(() -> risk.depth(h.marketId(), h.policy().maxSlippageBps())));
            int chunks = Planner.chunksToTarget(h, settings.keeper(), conditions);
            int queue = (int) (ahead.getOrDefault(h.marketId(), 0) / perBlock);
            Prediction p = risk.predict(h, chunks, queue);
            if (p.probability() > h.softTrigger().maxProbability()) {
                predicted.put(h.vault(), p);
                overTrigger.add(h);
            } else {
                outcomes.add(((Handled.Done) safely(h, head, moves.get(h.vault()), fees, Optional.of(p))).outcome());
            }
        }
    }

    /**
     * Settles the block's book (see {@link Book}) and sends its actions in its order, one after another, so that their
     * nonces keep that order in the block.
     */
    private List<VaultOutcome> book(List<Proposal> proposals, BlockRef head, long budget, long routedNanos) {
        long b0 = System.nanoTime();
        Book.Result book = Book.settle(proposals, budget, calls -> {
            if (!sequencing) throw new SequenceSimulator.SequenceUnavailable("the node has no state overrides");
            try {
                return sequence.run(calls, head.hash());
            } catch (SequenceSimulator.SequenceUnavailable e) {
                sequencing = false;
                log.warn(
                        "the node cannot simulate the block's actions in sequence ({}): each is checked alone from now"
                                + " on, and sales sharing a pool in one block may revert",
                        e.getMessage());
                throw e;
            } catch (ChainException e) {
                // No endpoint answered: this block's actions go out checked alone; the next block tries again.
                log.warn("block {}: the sequence could not be simulated ({})", head.number(), e.getMessage());
                throw new SequenceSimulator.SequenceUnavailable(String.valueOf(e.getMessage()));
            }
        });
        long b1 = System.nanoTime();
        List<VaultOutcome> out = new ArrayList<>();
        for (Book.Waiting w : book.waiting()) {
            VaultHealth h = w.proposal().vault();
            out.add(VaultOutcome.of(h.vault(), Kind.WAITING_IN_BOOK, w.why(), h.ltv()));
        }
        java.util.Set<Book.Entry> stale = staleAtLatest(book.send(), head, out);
        for (Book.Entry e : book.send()) {
            VaultHealth h = e.proposal().vault();
            if (stale.contains(e)) continue;
            try {
                out.add(send(e, head, book.sequenced()));
            } catch (RuntimeException ex) {
                log.warn("vault {} at block {}: {}", h.vault(), head.number(), ex.toString());
                out.add(VaultOutcome.of(h.vault(), Kind.ERROR, ex.toString(), h.ltv()));
            }
        }
        if (proposals.size() > 1) {
            log.info(
                    "block {}: book of {} actions: {} sent, {} waiting ({} simulation(s) of the sequence, {} gas of {}"
                            + " allowed; planned in {} ms, booked in {} ms, sent in {} ms)",
                    head.number(),
                    proposals.size(),
                    book.send().size(),
                    book.waiting().size(),
                    book.simulations(),
                    book.send().stream().mapToLong(Book.Entry::expectedGas).sum(),
                    budget,
                    routedNanos / 1_000_000,
                    (b1 - b0) / 1_000_000,
                    (System.nanoTime() - b1) / 1_000_000);
        }
        return out;
    }

    /**
     * The vaults over their trigger to plan this block, most urgent first ({@link Book#URGENT_BY_HEALTH}): as many as
     * the block's share can hold half again (a few may turn out to wait or be in flight), the rest wait for the next
     * block, named in {@code outcomes}. In a market-wide crash this keeps a block's routing to what the block can carry
     * out, and the most urgent vaults' routes are not slowed by the quotes of vaults that could not be sent anyway.
     */
    private List<VaultHealth> planFirst(
            List<VaultHealth> overTrigger, long budget, BlockRef head, List<VaultOutcome> outcomes) {
        int slots = (int) Math.max(MIN_PLANNED, budget * 3 / 2 / Book.UNMEASURED_GAS);
        if (overTrigger.size() <= slots) return overTrigger;
        List<VaultHealth> ordered = new ArrayList<>(overTrigger);
        ordered.sort(Book.URGENT_BY_HEALTH);
        List<VaultHealth> planned = new ArrayList<>();
        int later = 0;
        for (VaultHealth h : ordered) {
            if (planned.size() < slots) {
                // A vault with a transaction in flight takes no slot: it is only waiting for it. (If the journal cannot
                // say, the vault is planned, and its handling asks again and reports the failure.)
                Optional<String> flying;
                try {
                    flying = tx.inFlight(h.vault(), head.number());
                } catch (RuntimeException e) {
                    flying = Optional.empty();
                }
                if (flying.isPresent()) {
                    outcomes.add(VaultOutcome.of(h.vault(), Kind.IN_FLIGHT, "waiting for " + flying.get(), h.ltv()));
                } else {
                    planned.add(h);
                }
                continue;
            }
            later++;
            outcomes.add(VaultOutcome.of(
                    h.vault(),
                    Kind.WAITING_IN_BOOK,
                    "not planned this block: " + slots + " more urgent vaults fill the keeper's share of it (" + budget
                            + " gas); next block",
                    h.ltv()));
        }
        log.info(
                "block {}: {} vaults over their trigger; the {} most urgent are planned, {} wait for the next block",
                head.number(),
                overTrigger.size(),
                planned.size(),
                later);
        return planned;
    }

    /** Vaults planned in a block however small the keeper's share of it. */
    static final int MIN_PLANNED = 4;

    /** Vaults routed at once: enough to use the sources' parallelism, few enough not to swamp one node. */
    static final int ROUTING_CONCURRENCY = 16;

    private final java.util.concurrent.Semaphore routing = new java.util.concurrent.Semaphore(ROUTING_CONCURRENCY);

    /**
     * The book's actions that would revert at the latest block, when the chain has moved on since {@code head} (a tick
     * slower than a block, a head subscription behind): the sequence is simulated again there, in one call (each alone
     * where the node cannot), and what fails is not sent, named in {@code out}. At the tick's own head this costs one
     * read of the latest block number.
     */
    private java.util.Set<Book.Entry> staleAtLatest(List<Book.Entry> entries, BlockRef head, List<VaultOutcome> out) {
        java.util.Set<Book.Entry> stale = new java.util.HashSet<>();
        if (entries.isEmpty()) return stale;
        BlockRef latest = chain.latestBlock();
        if (latest.number() <= head.number()) return stale;
        List<String> why = new ArrayList<>(java.util.Collections.nCopies(entries.size(), (String) null));
        List<SequenceSimulator.Call> calls = entries.stream()
                .map(e -> new SequenceSimulator.Call(e.proposal().vault().vault(), e.data()))
                .toList();
        boolean checked = false;
        if (sequencing) {
            try {
                List<SequenceSimulator.Step> steps = sequence.run(calls, latest.hash());
                for (int i = 0; i < steps.size(); i++)
                    if (!steps.get(i).ok()) why.set(i, steps.get(i).why());
                checked = true;
            } catch (SequenceSimulator.SequenceUnavailable | ChainException e) {
                // checked alone below
            }
        }
        if (!checked) {
            for (int i = 0; i < calls.size(); i++) {
                if (chain.call(keeper, calls.get(i).target(), calls.get(i).data(), latest.hash())
                        instanceof io.unwind.chain.CallResult.Reverted r) {
                    why.set(i, VaultErrors.explainInWords(r.data()));
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (why.get(i) == null) continue;
            Book.Entry e = entries.get(i);
            stale.add(e);
            VaultHealth h = e.proposal().vault();
            out.add(VaultOutcome.of(
                    h.vault(),
                    Kind.SIMULATION_REVERTED,
                    "at block " + latest.number() + " (planned at " + head.number() + "): " + why.get(i),
                    h.ltv()));
        }
        return stale;
    }

    /** The keeper's share of the head's gas limit (or of 30M, where the node does not say). */
    private long blockGasBudget(BlockRef head) {
        long limit = chain.blockGasLimit(head.hash()).orElse(DEFAULT_BLOCK_GAS);
        return BigInteger.valueOf(limit)
                .multiply(BigInteger.valueOf(settings.blockGasShareBps()))
                .divide(BigInteger.valueOf(10_000))
                .longValueExact();
    }

    static final long DEFAULT_BLOCK_GAS = 30_000_000;

    /**
     * Learns what became of the actions sent earlier: a sale mined and reverted backs its venue off (see
     * {@link VenueBackoff}); one that succeeded closes its venue's breaker again.
     */
    private void settleSent(BlockRef head) {
        for (var e : sent.entrySet()) {
            Optional<TxSubmitter.Settled> done;
            try {
                done = tx.settled(e.getKey());
            } catch (RuntimeException ex) {
                return; // the journal is down: learn it on a later head
            }
            if (done.isEmpty()) continue;
            sent.remove(e.getKey());
            Sent s = e.getValue();
            if (done.get().mined() && done.get().minedBlock() >= 0)
                risk.included(done.get().minedBlock() - s.plannedAt());
            if (!done.get().mined() || s.kind() != TxKind.DELEVERAGE) continue;
            if (done.get().reverted()) {
                venues.reverted(s.route(), head.number());
                log.warn(
                        "vault {}: the sale through {} was mined and REVERTED ({}); {}",
                        s.vault(),
                        s.route(),
                        done.get().detail(),
                        venues.open(s.route(), head.number() + 1)
                                ? "planned again from the new state"
                                : s.route() + " reverted twice in a row: backed off until block "
                                        + venues.until(s.route()));
            } else {
                venues.succeeded(s.route());
            }
        }
    }

    /**
     * Every vault's health at {@code head}: read through the lens, or, for a vault the scan plan lets wait, its last
     * health re-priced to this block's oracle price.
     */
    private VaultLensReader.Scan read(List<Address> vaults, BlockRef head) {
        if (scanPlan.everyVaultEveryBlock()) return lens.read(vaults, head);
        List<Address> first = scanPlan.first(vaults, head.number());
        VaultLensReader.Scan a = lens.read(first, head);
        java.util.Map<String, BigInteger> prices = new java.util.HashMap<>();
        List<VaultHealth> healths = new ArrayList<>(a.vaults());
        List<VaultLensReader.Unreadable> unreadable = new ArrayList<>(a.unreadable());
        for (VaultHealth h : a.vaults()) {
            if (h.priceKnown()) prices.putIfAbsent(h.marketId(), h.price());
        }
        List<Address> more = scanPlan.second(vaults, first, prices);
        if (!more.isEmpty()) {
            VaultLensReader.Scan b = lens.read(more, head);
            healths.addAll(b.vaults());
            unreadable.addAll(b.unreadable());
        }
        for (VaultHealth h : healths) scanPlan.record(h, head.number());
        for (var u : unreadable) scanPlan.forget(u.vault());
        java.util.Set<Address> read = new java.util.HashSet<>(first);
        read.addAll(more);
        for (Address v : vaults) {
            if (!read.contains(v)) scanPlan.carried(v, prices).ifPresent(healths::add);
        }
        return new VaultLensReader.Scan(head, healths, unreadable);
    }

    private static void await(java.util.concurrent.Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a tick", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private Handled safely(
            VaultHealth h, BlockRef head, double move, Lazy<FeeHistory> fees, Optional<Prediction> prediction) {
        return safely(h, head, move, fees, prediction, OwnerResources.Allocation.NONE);
    }

    private Handled safely(
            VaultHealth h,
            BlockRef head,
            double move,
            Lazy<FeeHistory> fees,
            Optional<Prediction> prediction,
            OwnerResources.Allocation owners) {
        try {
            return handle(h, head, move, fees, prediction, owners);
        } catch (RuntimeException e) {
            log.warn("vault {} at block {}: {}", h.vault(), head.number(), e.toString());
            return done(VaultOutcome.of(h.vault(), Kind.ERROR, e.toString(), h.ltv()));
        }
    }

    private static Handled done(VaultOutcome o) {
        return new Handled.Done(o);
    }

    /** Whether a vault is over its trigger with everything known: the only ones worth routing for. */
    private static boolean mayAct(VaultHealth h) {
        return h.keeperAllowed() && h.overTrigger();
    }

    private Handled handle(
            VaultHealth read,
            BlockRef head,
            double movePerBlockBps,
            Lazy<FeeHistory> fees,
            Optional<Prediction> prediction,
            OwnerResources.Allocation owners) {
        // What the block's book gave this vault of its owner's shared reserve counts as reserve: the vault draws it at
        // the top-up. A move source, if any, goes to the planner, which compares it with the rest.
        BigInteger grant = owners.grantFor(read.vault());
        VaultHealth h = grant.signum() > 0 ? read.withReserve(read.reserve().add(grant)) : read;
        Optional<MoveSource> moveSource = owners.moveFor(read.vault());
        boolean earlyAct = h.keeperAllowed()
                && h.inSoftZone()
                && prediction
                        .filter(p -> p.probability() > h.softTrigger().maxProbability())
                        .isPresent();
        if (!mayAct(h) && !earlyAct) {
            // A vault this keeper may not act on goes through the planner too: under its trigger it is healthy, over it
            // it is held as NOT_ALLOWED_KEEPER, which asks for attention (the owner relies on some keeper that is not
            // us).
            // The common case, decided without asking for fees: nothing to do, or nothing we can do.
            MarketConditions calm = MarketConditions.calm(settings.expectedSlippageBps(), Wei.ZERO);
            Decision d = Planner.decide(
                    h, settings.keeper(), prediction.map(calm::withPrediction).orElse(calm), head.timestamp());
            return done(held(h, d));
        }
        Optional<String> flying = tx.inFlight(h.vault(), head.number());
        if (flying.isPresent())
            return done(VaultOutcome.of(h.vault(), Kind.IN_FLIGHT, "waiting for " + flying.get(), h.ltv()));

        FeeHistory history = fees.get();
        Eip1559Fees market = feePolicy.market(history, Urgency.NONE);
        EconomicFloor floor = EconomicFloor.of(
                h,
                settings.keeper(),
                settings.protectAtOwnCost(),
                market.maxFeePerGas(),
                market.effectivePrice(history.nextBaseFee()),
                nativePrice(h),
                routes.actionDataFee(head));
        if (floor.noFee()) {
            if (earlyAct) {
                return done(VaultOutcome.of(
                        h.vault(),
                        Kind.HEALTHY,
                        "no early action: " + prediction.get().describe() + ", but " + floor.explain(),
                        h.ltv()));
            }
            return done(held(
                    h,
                    new Decision.Hold(
                            HoldReason.BELOW_MINIMUM_SIZE,
                            "LTV " + Ltv.percent(h.ltv()) + " is over its trigger, but " + floor.explain(),
                            Optional.empty())));
        }
        MarketConditions base = new MarketConditions(
                Math.min(settings.expectedSlippageBps(), h.policy().maxSlippageBps()),
                movePerBlockBps,
                market.maxFeePerGas(),
                floor.minimumRepay(),
                Optional.empty(),
                prediction);
        MarketConditions conditions = moveSource.map(base::withMoveSource).orElse(base);
        Decision d = Planner.decide(h, settings.keeper(), conditions, head.timestamp());
        if (d instanceof Decision.Hold hold && hold.reason() == HoldReason.BELOW_MINIMUM_SIZE) {
            return done(
                    held(h, new Decision.Hold(hold.reason(), hold.detail() + ": " + floor.explain(), hold.until())));
        }
        if (!(d instanceof Decision.Act act)) return done(held(h, d));

        FeeDecision fee = feePolicy.decide(history, act.urgency(), settings.caps());
        Optional<Eip1559Fees> toSend = fee.toSend();
        if (toSend.isEmpty()) {
            return done(VaultOutcome.of(h.vault(), Kind.WAITING_FOR_GAS, fee.why(), h.ltv()));
        }
        Handled handled = switch (act.plan()) {
            case Plan.TopUp t -> topUp(h, head, t, toSend.get(), act.urgency(), read.reserve());
            case Plan.Sell sell -> sell(h, head, sell, toSend.get(), act.urgency(), conditions, earlyAct);
            case Plan.Move m -> {
                Optional<Handled> moved = move(h, head, m, toSend.get(), act.urgency());
                if (moved.isPresent()) yield moved.get();
                // The move would revert (settings changed since they were read, the source moved): forget them and
                // plan the vault again without it, in this block.
                links.remove(m.source());
                links.remove(h.vault());
                yield handle(read, head, movePerBlockBps, fees, prediction, owners.withoutMove(read.vault()));
            }
        };
        if (handled instanceof Handled.Proposed p && act.reason().kind() != ActReason.Kind.TRIGGER) {
            return new Handled.Proposed(p.proposal().because(act.reason()));
        }
        return handled;
    }

    private VaultOutcome held(VaultHealth h, Decision d) {
        if (d instanceof Decision.Hold hold) {
            Kind k = hold.reason() == HoldReason.HEALTHY_BELOW_TRIGGER || hold.reason() == HoldReason.NO_DEBT
                    ? Kind.HEALTHY
                    : Kind.HELD;
            String why = hold.reason().describe() + ": " + hold.detail();
            if (hold.reason().needsAttention()) events.attention(h, why);
            return VaultOutcome.of(h.vault(), k, why, h.ltv());
        }
        return VaultOutcome.of(h.vault(), Kind.HELD, "no plan", h.ltv());
    }

    /**
     * A top-up from the reserve; {@code ownReserve} is what the vault holds itself, the rest of {@code h.reserve()}
     * being what the book gave it of its owner's shared reserve, which the vault draws during the call.
     */
    private Handled topUp(
            VaultHealth h, BlockRef head, Plan.TopUp t, Eip1559Fees fees, Urgency urgency, BigInteger ownReserve) {
        Plan.TopUp plan = fees.maxFeePerGas().compareTo(h.policy().maxGasPrice()) > 0 ? t.withoutKeeperFee() : t;
        byte[] data = VaultCalls.topUp(
                plan.amount().units(),
                BigInteger.valueOf(plan.deadline().getEpochSecond()),
                plan.keeperFee().units());
        Simulation sim = simulator.topUp(h.vault(), data, head.hash(), 150_000);
        if (sim instanceof Simulation.Reverted r)
            return done(VaultOutcome.of(h.vault(), Kind.SIMULATION_REVERTED, r.reason(), h.ltv()));
        BigInteger fromShared = plan.amount()
                .units()
                .add(plan.keeperFee().units())
                .subtract(ownReserve)
                .max(BigInteger.ZERO);
        java.util.OptionalLong gas = java.util.OptionalLong.empty();
        if (fromShared.signum() > 0) {
            // A draw calls the shared reserve from inside the top-up: measured by the node's estimate, which finds the
            // limit the nested calls need (see move).
            if (chain.estimateGas(keeper, h.vault(), data) instanceof ChainClient.EstimateResult.Gas g) {
                gas = java.util.OptionalLong.of(g.units().longValueExact());
            }
        }
        String summary = "top-up " + plan.amount().display() + " from the reserve"
                + (fromShared.signum() > 0
                        ? " (" + h.loanToken().amount(fromShared).display()
                                + " of it drawn from the owner's shared reserve: cheaper than a sale, no swap)"
                        : "")
                + " (fee " + plan.keeperFee().display() + "), LTV " + Ltv.percent(plan.ltvBefore()) + " -> "
                + Ltv.percent(plan.predictedLtvAfter()) + ", " + plan.coverage().describe();
        return new Handled.Proposed(new Proposal(
                h, TxKind.TOP_UP, List.of(new Proposal.Option("reserve", data, gas, summary)), fees, urgency));
    }

    /**
     * A move of collateral from the source into this vault: the source's {@code moveCollateral}, simulated from the
     * keeper at the head. Empty when the simulation reverts (the caller plans the vault again without the move).
     */
    private Optional<Handled> move(VaultHealth h, BlockRef head, Plan.Move m, Eip1559Fees fees, Urgency urgency) {
        byte[] data = PortfolioCalls.moveCollateral(
                h.vault(), m.amount().units(), BigInteger.valueOf(m.deadline().getEpochSecond()));
        if (chain.call(keeper, m.source(), data, head.hash()) instanceof io.unwind.chain.CallResult.Reverted r) {
            log.info(
                    "vault {}: a move of {} from {} would revert ({}); planning without it",
                    h.vault(),
                    m.amount().display(),
                    m.source(),
                    VaultErrors.explainInWords(r.data()));
            return Optional.empty();
        }
        // Measured alone by the node's estimate, which searches for the limit the call succeeds with: a move runs
        // through two vaults' fallbacks and the protocols, where each call keeps back 1/64 of the gas (EIP-150), so
        // the gas it uses is well under the limit it needs. Signing only its use plus a margin ran out of gas.
        java.util.OptionalLong gas = switch (chain.estimateGas(keeper, m.source(), data)) {
            case ChainClient.EstimateResult.Gas g ->
                java.util.OptionalLong.of(g.units().longValueExact());
            case ChainClient.EstimateResult.Reverted r -> java.util.OptionalLong.empty();
        };
        String summary = "move " + m.amount().display() + " from " + m.source() + " (its LTV "
                + Ltv.percent(m.sourceLtvBefore()) + " -> " + Ltv.percent(m.sourceLtvAfter()) + "), LTV "
                + Ltv.percent(m.ltvBefore()) + " -> " + Ltv.percent(m.predictedLtvAfter()) + ": " + m.alternatives();
        return Optional.of(new Handled.Proposed(new Proposal(
                h,
                TxKind.MOVE,
                List.of(new Proposal.Option("move", data, gas, summary, Optional.empty(), Optional.of(m.source()))),
                fees,
                urgency)));
    }

    /**
     * Shares the owner's resources among the vaults planned this block (see {@link OwnerResources}), most urgent first.
     * Reads the portfolio settings of the acting owners' vaults (from the cache when fresh) and, for acting vaults with
     * a shared reserve, what it would give them and its balance, at the head. A read that fails leaves that vault
     * without a share: it is planned as before, on its own reserve.
     */
    private OwnerResources.Allocation allocate(List<VaultHealth> planned, List<VaultHealth> all, BlockRef head) {
        if (planned.isEmpty()) return OwnerResources.Allocation.NONE;
        java.util.Set<Address> owners = new java.util.HashSet<>();
        for (VaultHealth h : planned) owners.add(h.owner());
        java.util.Map<Address, PortfolioLinks> known = new java.util.HashMap<>();
        boolean any = false;
        for (VaultHealth h : all) {
            if (!owners.contains(h.owner())) continue;
            PortfolioLinks l = links(h.vault(), head.number(), false);
            known.put(h.vault(), l);
            any |= l.linked();
        }
        if (!any) return OwnerResources.Allocation.NONE;
        java.util.Map<Address, BigInteger> available = new java.util.HashMap<>();
        java.util.Map<Address, BigInteger> balances = new java.util.HashMap<>();
        for (VaultHealth d : planned) {
            PortfolioLinks l = known.getOrDefault(d.vault(), PortfolioLinks.NONE);
            if (!l.hasSharedReserve()) continue;
            try {
                BigInteger total = reads.topUpAvailable(d.vault(), Optional.of(head));
                available.put(d.vault(), total.subtract(d.reserve()).max(BigInteger.ZERO));
                if (!balances.containsKey(l.sharedReserve())) {
                    balances.put(
                            l.sharedReserve(), reads.balanceOf(d.loanToken().address(), l.sharedReserve()));
                }
            } catch (RuntimeException e) {
                log.warn(
                        "vault {}: its shared reserve {} could not be read: {}",
                        d.vault(),
                        l.sharedReserve(),
                        e.toString());
            }
        }
        List<VaultHealth> ordered = new ArrayList<>(planned);
        ordered.sort(Book.URGENT_BY_HEALTH);
        OwnerResources.Allocation a = OwnerResources.allocate(
                ordered,
                all,
                known,
                available,
                balances,
                h -> Planner.topUpNeed(h, settings.keeper(), Wei.ZERO),
                head.timestamp());
        for (String note : a.notes()) log.info("block {}: owner's resources: {}", head.number(), note);
        return a;
    }

    /** A vault's portfolio settings: cached, or read now when missing, too old, or {@code force}d. */
    private PortfolioLinks links(Address vault, long block, boolean force) {
        CachedLinks c = links.get(vault);
        if (!force && c != null && block - c.readAt() < LINKS_MAX_AGE_BLOCKS) return c.links();
        PortfolioLinks l;
        try {
            l = new PortfolioLinks(
                    reads.sharedReserve(vault), reads.maxMoveBps(vault), java.util.Set.copyOf(reads.movePeers(vault)));
        } catch (io.unwind.chain.vault.ContractReverted e) {
            // A vault without the portfolio functions (an older build, or a contract that is not an Unwind vault).
            l = PortfolioLinks.NONE;
        } catch (RuntimeException e) {
            log.debug("vault {}: portfolio settings not read: {}", vault, e.toString());
            return c != null ? c.links() : PortfolioLinks.NONE;
        }
        links.put(vault, new CachedLinks(l, block));
        return l;
    }

    /**
     * Reads, in the background, the portfolio settings of a few vaults whose cached ones are missing or old, so that a
     * crash finds them cached: at most {@link #LINKS_REFRESH_PER_BLOCK} per block.
     */
    private void refreshLinks(List<VaultHealth> all, BlockRef head) {
        List<Address> due = new ArrayList<>();
        for (VaultHealth h : all) {
            CachedLinks c = links.get(h.vault());
            if (c == null || head.number() - c.readAt() >= LINKS_MAX_AGE_BLOCKS) due.add(h.vault());
            if (due.size() >= LINKS_REFRESH_PER_BLOCK) break;
        }
        if (due.isEmpty()) return;
        workers.submit(() -> {
            for (Address v : due) links(v, head.number(), true);
        });
    }

    /**
     * Sells through the best route. When every route's quote falls under the oracle floor at the planned size, the
     * pools are too shallow for it within the policy's slippage: with chunking on, each venue's capacity within the
     * floor is probed ({@link RouteFinder#capacity}) and the sale is re-planned as a chunk the best venue can take,
     * then halved if that still fails, up to {@link Chunking#MAX_HALVINGS} times; the rest follows on later blocks,
     * each re-planned from chain state. The capacities are written into the action's summary (the journaled plan).
     */
    private Handled sell(
            VaultHealth h,
            BlockRef head,
            Plan.Sell first,
            Eip1559Fees fees,
            Urgency urgency,
            MarketConditions conditions,
            boolean early) {
        Plan.Sell s = first;
        RouteFinder.Found found;
        String liquidity = "";
        for (int halvings = 0; ; halvings++) {
            found = routes.find(h, s, settings.keeper(), fees.maxFeePerGas(), nativePrice(h), head, head.timestamp());
            events.routed(h, found);
            if (found.best().isPresent()) break;
            if (!Chunking.trySmaller(settings.chunking(), halvings, onlyBelowFloor(found))) break;
            BigInteger capacity = BigInteger.ZERO;
            if (Chunking.probeCapacity(halvings)) {
                RouteFinder.Capacity c = routes.capacity(
                        h,
                        s.collateral().units(),
                        head,
                        head.timestamp(),
                        settings.keeper().txDeadline());
                capacity = c.best();
                capacities.put(h.marketId(), capacity);
                liquidity = c.byVenue().isEmpty()
                        ? "; no venue takes any of the " + s.collateral().display() + " needed within the floor"
                        : "; within the floor " + describe(h, c) + " take at most "
                                + h.collateralToken().amount(c.best()).display() + " of the "
                                + s.collateral().display() + " needed";
            }
            BigInteger cap = Chunking.nextCap(halvings, s.collateral().units(), capacity);
            Decision again = Planner.decide(h, settings.keeper(), conditions.withLiquidityCap(cap), head.timestamp());
            if (!(again instanceof Decision.Act a) || !(a.plan() instanceof Plan.Sell smaller)) break;
            log.debug(
                    "vault {}: no route takes {} within the floor; trying a chunk of {}",
                    h.vault(),
                    s.collateral().display(),
                    smaller.collateral().display());
            s = smaller;
        }
        if (found.best().isEmpty()) {
            String why = found.choice().rejected().stream()
                    .map(r -> r.source() + ": " + r.reason().describe() + ", "
                            + r.rejection().detail())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("no source answered");
            // Under the hard trigger no route is no alarm: the vault is acted on at its trigger as before.
            if (early)
                return done(VaultOutcome.of(h.vault(), Kind.HEALTHY, "no early action: no route: " + why, h.ltv()));
            events.attention(h, "no route: " + why);
            return done(VaultOutcome.of(h.vault(), Kind.NO_ROUTE, why, h.ltv()));
        }
        // Every viable route, best first, is a venue the book may fall back on; a venue backed off after a revert is
        // not taken while its breaker is open.
        List<Proposal.Option> options = new ArrayList<>();
        List<String> backedOff = new ArrayList<>();
        for (var ranked : found.choice().ranking()) {
            Candidate.Viable v = ranked.candidate();
            if (!venues.open(v.source(), head.number())) {
                backedOff.add(v.source() + " (until block " + venues.until(v.source()) + ")");
                continue;
            }
            var o = v.order();
            String summary = "sell " + o.collateral().display() + " via " + v.source() + " for >= "
                    + o.required().display() + " (fee "
                    + o.keeperFee().display()
                    + (o.flashPremium().isZero()
                            ? ""
                            : ", Aave flash-loan premium " + o.flashPremium().display())
                    + "), LTV " + Ltv.percent(o.ltvBefore()) + " -> "
                    + Ltv.percent(o.predictedLtvAfter()) + ", "
                    + o.sizing().describe() + liquidity;
            options.add(new Proposal.Option(v.source(), RouteFinder.vaultCall(v.quote(), o), v.measuredGas(), summary));
            behindOthers(v, summary).ifPresent(options::add);
        }
        if (options.isEmpty()) {
            String why =
                    "every viable route's venue is backed off after reverted sales: " + String.join(", ", backedOff);
            if (early) return done(VaultOutcome.of(h.vault(), Kind.HEALTHY, "no early action: " + why, h.ltv()));
            events.attention(h, "no route: " + why);
            return done(VaultOutcome.of(h.vault(), Kind.NO_ROUTE, why, h.ltv()));
        }
        return new Handled.Proposed(new Proposal(h, TxKind.DELEVERAGE, options, fees, urgency));
    }

    /**
     * The same sale for when it runs behind other sales in its pool in this block's book. Its quote was made on the
     * pool before them, so its swap's minimum (the quote less the route slippage) and its {@code minRepaid} (landing on
     * the target at the quoted price) fail once they have moved the price, although the vault's own floors would take
     * it. This variant asks no more than those floors (the oracle floor and the fee; the vault still applies its equity
     * floor and its 0.1 point minimum progress). The book simulates it after the sales before it, and settles it on
     * what it delivered there: the swap's minimum and {@code minRepaid} go back up to that less the route slippage, so
     * what is sent tolerates no more than a first sale does. Only for swaps whose minimum can be rewritten (a single
     * Uniswap V3 or V2 call); an aggregator's calldata is never altered.
     */
    private Optional<Proposal.Option> behindOthers(Candidate.Viable v, String summary) {
        var o = v.order();
        var q = v.quote();
        BigInteger fee = o.keeperFee().units();
        BigInteger floor = o.oracleFloor().units();
        int slip = routes.routeSlippageBps();
        java.util.function.BiFunction<BigInteger, BigInteger, Optional<byte[]>> call = (swapMin, minRepaid) ->
                io.unwind.route.UniswapCalldata.withMinOut(q.calldata().bytes(), swapMin)
                        .map(swap -> VaultCalls.deleverage(
                                o.collateral().units(),
                                q.router(),
                                swap,
                                minRepaid,
                                BigInteger.valueOf(o.deadline().getEpochSecond()),
                                fee));
        return call.apply(floor.add(fee), floor)
                .map(relaxed -> new Proposal.Option(
                        v.source(),
                        relaxed,
                        v.measuredGas(),
                        summary + ", its minimums set from this block's book (behind other sales in its pool)",
                        Optional.of(delivered -> {
                            BigInteger m = delivered
                                    .multiply(BigInteger.valueOf(10_000L - slip))
                                    .divide(BigInteger.valueOf(10_000))
                                    .max(floor.add(fee));
                            BigInteger repaid =
                                    o.minRepaid().units().min(m.subtract(fee)).max(floor);
                            return call.apply(m, repaid).orElse(relaxed);
                        })));
    }

    private static String describe(VaultHealth h, RouteFinder.Capacity c) {
        return c.byVenue().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " "
                        + h.collateralToken().amount(e.getValue()).display())
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    /**
     * Whether a smaller sale could help: some route was refused only because it falls under the oracle floor at this
     * size. Routes refused for anything else (a lying or failing source, a wrong target) say nothing about liquidity
     * and must not stop the keeper from selling a chunk through the honest ones.
     */
    private static boolean onlyBelowFloor(RouteFinder.Found f) {
        return f.choice().rejected().stream().anyMatch(r -> r.reason() == RejectReason.BELOW_FLOOR);
    }

    /**
     * Signs, journals and broadcasts one action of the book. Its gas limit is the book's (its gas in the simulated
     * sequence or alone, whichever is more); when the sequence could not be simulated and routing did not measure the
     * call, it is estimated at the latest block first, and a revert there stops it.
     */
    private VaultOutcome send(Book.Entry e, BlockRef head, boolean sequenced) {
        Proposal p = e.proposal();
        VaultHealth h = p.vault();
        Proposal.Option o = e.option();
        BigInteger gasLimit = e.gasLimit();
        if (!sequenced && o.gas().isEmpty()) {
            switch (chain.estimateGas(keeper, o.target(h), e.data())) {
                case ChainClient.EstimateResult.Gas g -> gasLimit = GasLimit.KEEPER_ACTION.forEstimate(g.units());
                case ChainClient.EstimateResult.Reverted r -> {
                    return VaultOutcome.of(
                            h.vault(),
                            Kind.SIMULATION_REVERTED,
                            "at the latest block: "
                                    + VaultErrors.explainInWords(r.revert().data()),
                            h.ltv());
                }
            }
        }
        String key = p.kind().label() + ":" + h.vault().hex() + ":" + head.number();
        String summary = (p.reason().kind() == ActReason.Kind.TRIGGER
                        ? ""
                        : "early (" + p.reason().describe() + "): ")
                + o.summary()
                + (sequenced ? ", checked " + ordinal(e.position()) + " in the block's book" : "");
        TxSubmitter.Submission sub = tx.submit(new TxSubmitter.Action(
                key,
                h.vault(),
                o.target(h),
                e.data(),
                gasLimit,
                p.fees(),
                p.kind(),
                summary,
                p.urgency(),
                head.number()));
        // Accepted or Duplicate (a re-run of this very tick) are both journaled: the action is on its way.
        if (!(sub instanceof TxSubmitter.Submission.Journaled journaled)) {
            return VaultOutcome.of(h.vault(), Kind.IN_FLIGHT, "not submitted: " + sub.detail(), h.ltv());
        }
        sent.put(key, new Sent(h.vault(), p.kind(), o.route(), head.number()));
        Optional<TxHash> hash = journaled.hash();
        String ref = hash.map(Object::toString).orElse(sub.detail());
        log.info(
                "vault {} LTV {}: {} [urgency {}, {}] tx {}",
                h.vault(),
                Ltv.percent(h.ltv()),
                summary,
                String.format("%.2f", p.urgency().score()),
                p.fees(),
                ref);
        events.acting(h, head, p.reason());
        events.submitted(h, head, p.kind(), o.route(), hash);
        return new VaultOutcome(h.vault(), Kind.SUBMITTED, summary, Optional.of(h.ltv()), hash, Optional.of(o.route()));
    }

    private static String ordinal(int position) {
        return switch (position) {
            case 0 -> "first";
            case 1 -> "2nd";
            case 2 -> "3rd";
            default -> (position + 1) + "th";
        };
    }

    private FeeHistory feeHistory() {
        List<Integer> pct = settings.fees().percentilesToRequest();
        FeeHistoryData d = chain.feeHistory(
                settings.feeHistoryBlocks(),
                pct.stream().map(Integer::doubleValue).toList());
        return FeeHistory.fromNode(d.baseFees(), d.rewards(), pct);
    }

    /**
     * Loan-token base units per 1e18 wei, to price gas in the loan token. When the collateral is the chain's wrapped
     * native token, the market's own oracle price gives it exactly; otherwise the configured price.
     */
    BigInteger nativePrice(VaultHealth h) {
        if (settings.nativeToken()
                .filter(n -> n.equals(h.collateralToken().address()))
                .isPresent()) {
            // price = loan base units per collateral base unit x 1e36; per whole native token (1e18 wei):
            return h.price().multiply(BigInteger.TEN.pow(18)).divide(Ltv.PRICE_SCALE);
        }
        return settings.fixedNativePrice(h.loanToken()).orElse(BigInteger.ZERO);
    }

    /** A value computed at most once per tick, on first use. */
    private static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        synchronized T get() {
            if (value == null) value = supplier.get();
            return value;
        }
    }
}
