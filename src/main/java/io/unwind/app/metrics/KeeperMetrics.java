package io.unwind.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.route.Candidate;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.RouteFinder;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's metrics. Names are constants (the Grafana dashboard and alert rules use them); labels are bounded:
 * per-vault gauges only for the first {@link #MAX_VAULT_SERIES} vaults, per-owner gauges only for the first
 * {@link #MAX_OWNER_SERIES} owners (and per owner one {@code quote} series per loan token of its vaults), sources and
 * reasons from fixed sets.
 */
public final class KeeperMetrics implements KeeperEvents {
    public static final String VAULT_LTV = "unwind_vault_ltv";
    public static final String VAULT_TRIGGER = "unwind_vault_trigger_ltv";
    public static final String VAULT_LLTV = "unwind_vault_lltv";
    public static final String VAULT_LIQUIDATION_DISTANCE = "unwind_vault_liquidation_distance";
    public static final String VAULTS_WATCHED = "unwind_vaults_watched";
    public static final String VAULTS_OVER_TRIGGER = "unwind_vaults_over_trigger";
    /** Vaults the lens could not read in the last tick: their LTV is unknown, so they may be over their trigger. */
    public static final String VAULTS_UNREADABLE = "unwind_vaults_unreadable";

    public static final String VAULTS_SKIPPED = "unwind_vaults_skipped";

    public static final String TICK = "unwind_tick_seconds";
    public static final String TICK_SCAN = "unwind_tick_scan_seconds";
    public static final String OUTCOMES = "unwind_tick_outcomes_total";
    public static final String ACTIONS = "unwind_actions_submitted_total";
    public static final String ROUTES_TRIED = "unwind_routes_tried_total";
    public static final String ROUTES_CHOSEN = "unwind_routes_chosen_total";
    public static final String ROUTES_REJECTED = "unwind_routes_rejected_total";
    public static final String ATTENTION = "unwind_attention_total";
    public static final String HEAD = "unwind_head_block";
    public static final String HEAD_AGE = "unwind_head_age_seconds";
    /** The keeper account's native balance: what it has left to pay gas with. */
    public static final String KEEPER_BALANCE = "unwind_keeper_balance_wei";

    /** Each market's volatility as the keeper plans with it (annual, as a fraction: 0.8 = 80% a year). */
    public static final String MARKET_VOLATILITY = "unwind_market_volatility";
    /** Actions taken between a vault's soft and hard triggers, on a prediction. */
    public static final String ACTIONS_PREDICTED = "unwind_actions_predicted_total";

    /** Per owner: its vaults the keeper has read, each at its last read (cluster partitions tick separately). */
    public static final String OWNER_VAULTS = "unwind_owner_vaults";
    /** Per owner and quote (loan) token: the portfolio's equity, whole tokens. */
    public static final String OWNER_EQUITY = "unwind_owner_equity";
    /** Per owner and quote (loan) token: the portfolio's debt, whole tokens. */
    public static final String OWNER_DEBT = "unwind_owner_debt";
    /** Per owner: LTV / LLTV of its vault closest to liquidation (NaN when none has debt and a price). */
    public static final String OWNER_WORST = "unwind_owner_worst_ltv_of_lltv";
    /** Per owner: its vaults at or above their trigger at their last read. */
    public static final String OWNER_OVER_TRIGGER = "unwind_owner_vaults_over_trigger";

    public static final int MAX_VAULT_SERIES = 2000;
    /** Owners with per-owner gauges (the first seen); the vaults of others are left out of them. */
    public static final int MAX_OWNER_SERIES = 500;

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Address, VaultGauges> vaults = new ConcurrentHashMap<>();
    private final OwnerGauges owners;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong headTime = new AtomicLong();
    private final AtomicLong watched = new AtomicLong();
    private final AtomicLong overTrigger = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    /**
     * The vaults seen over their trigger in the tick under way (a set: a retried tick must not count a vault twice).
     */
    private final java.util.Set<Address> overInThisTick = ConcurrentHashMap.newKeySet();

    /**
     * Cluster mode: each vault's last read by this node (when, over its trigger or not, readable or not). The vault
     * counts are taken over the vaults read within {@link #recent}, each at its last read, not over the last tick: each
     * partition ticks by itself and sees only its own vaults, so a count of the last tick would flip from one
     * partition's vaults to another's.
     */
    private final Map<Address, LastRead> lastRead = new ConcurrentHashMap<>();

    private volatile java.time.Duration recent = java.time.Duration.ZERO;

    private record LastRead(long atMillis, boolean overTrigger, boolean unreadable) {}

    private final Map<Address, java.util.concurrent.atomic.AtomicReference<Double>> balances =
            new ConcurrentHashMap<>();
    private final Timer tick;
    private final Timer scan;
    private volatile java.util.function.Supplier<Map<String, io.unwind.domain.risk.MarketVolatility.Reading>>
            volatility = Map::of;
    private final java.util.Set<String> volatilityMarkets = ConcurrentHashMap.newKeySet();

    public KeeperMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.owners = new OwnerGauges(registry, MAX_OWNER_SERIES);
        Gauge.builder(HEAD, head, AtomicLong::get)
                .description("Newest block the keeper ticked on")
                .register(registry);
        Gauge.builder(HEAD_AGE, headTime, t -> t.get() == 0 ? 0 : (clock.millis() / 1000.0 - t.get()))
                .description("Seconds since the timestamp of the newest block ticked on")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(VAULTS_WATCHED, this, m -> m.count(watched, r -> true))
                .description("Vaults read in the last tick (cluster mode: vaults this node read lately, each once)")
                .register(registry);
        Gauge.builder(VAULTS_OVER_TRIGGER, this, m -> m.count(overTrigger, LastRead::overTrigger))
                .description("Vaults at or above their trigger LTV in the last tick (price known, debt, policy set), "
                        + "whether or not this keeper may act on them (cluster mode: of the vaults this node read"
                        + " lately, each at its last read)")
                .register(registry);
        Gauge.builder(VAULTS_UNREADABLE, this, m -> m.count(unreadable, LastRead::unreadable))
                .description("Vaults the lens could not read in the last tick, LTV unknown (cluster mode: of the vaults"
                        + " this node read lately, each at its last read)")
                .register(registry);
        tick = Timer.builder(TICK)
                .description("Time of a whole tick")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        scan = Timer.builder(TICK_SCAN)
                .description("Time to read every watched vault")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /**
     * Cluster mode: count vaults by their last read within {@code recent} (a few tick intervals), instead of by the
     * last tick. A vault this node has not read for longer (its partition ticked on other nodes) is left out of its
     * counts, and its per-vault gauges read NaN: another node has the newer reading.
     */
    public void countLastReadsWithin(java.time.Duration recent) {
        this.recent = recent;
    }

    private double count(AtomicLong lastTick, java.util.function.Predicate<LastRead> which) {
        java.time.Duration window = recent;
        if (window.isZero()) return lastTick.get();
        long since = clock.millis() - window.toMillis();
        long n = 0;
        for (LastRead r : lastRead.values()) if (r.atMillis() >= since && which.test(r)) n++;
        return n;
    }

    private boolean stale(VaultGauges g) {
        java.time.Duration window = recent;
        return !window.isZero() && g.readAt < clock.millis() - window.toMillis();
    }

    private final class VaultGauges {
        volatile long readAt;
        volatile double ltv;
        volatile double trigger;
        volatile double lltv;
        volatile double distance;
    }

    @Override
    public void observed(VaultHealth h, BlockRef block) {
        if (h.overTrigger()) overInThisTick.add(h.vault());
        lastRead.put(h.vault(), new LastRead(clock.millis(), h.overTrigger(), false));
        owners.observed(h);
        VaultGauges g = vaults.get(h.vault());
        if (g == null) {
            if (vaults.size() >= MAX_VAULT_SERIES) return;
            VaultGauges fresh = new VaultGauges();
            g = vaults.putIfAbsent(h.vault(), fresh);
            if (g == null) {
                g = fresh;
                String v = h.vault().hex();
                Gauge.builder(VAULT_LTV, fresh, x -> stale(x) ? Double.NaN : x.ltv)
                        .tag("vault", v)
                        .description("LTV at the oracle price (1 = 100%)")
                        .register(registry);
                Gauge.builder(VAULT_TRIGGER, fresh, x -> stale(x) ? Double.NaN : x.trigger)
                        .tag("vault", v)
                        .description("The policy's trigger LTV")
                        .register(registry);
                Gauge.builder(VAULT_LLTV, fresh, x -> stale(x) ? Double.NaN : x.lltv)
                        .tag("vault", v)
                        .description("The market's liquidation LTV")
                        .register(registry);
                Gauge.builder(VAULT_LIQUIDATION_DISTANCE, fresh, x -> stale(x) ? Double.NaN : x.distance)
                        .tag("vault", v)
                        .description("(LLTV - LTV) / LLTV: 0 means liquidatable")
                        .register(registry);
            }
        }
        g.readAt = clock.millis();
        g.ltv = h.priceKnown() ? wad(h.ltv()) : Double.NaN;
        g.trigger = h.policy().trigger().fraction();
        g.lltv = wad(h.lltv());
        // NaN while the oracle gives no price; 1 for a market without an LLTV, as before.
        g.distance = h.liquidationDistance().map(BigDecimal::doubleValue).orElse(h.priceKnown() ? 1 : Double.NaN);
    }

    @Override
    public void routed(VaultHealth h, RouteFinder.Found found) {
        for (var r : found.choice().ranking()) {
            Counter.builder(ROUTES_TRIED)
                    .description("Route candidates that passed every check and the simulation, by source")
                    .tag("source", r.candidate().source())
                    .tag("result", "viable")
                    .register(registry)
                    .increment();
        }
        for (Candidate.Rejected r : found.choice().rejected()) {
            Counter.builder(ROUTES_REJECTED)
                    .description("Route candidates refused, by source and reason")
                    .tag("source", r.source())
                    .tag("reason", r.reason().name())
                    .register(registry)
                    .increment();
        }
        found.best()
                .ifPresent(b -> Counter.builder(ROUTES_CHOSEN)
                        .description("Routes chosen for a sale, by source")
                        .tag("source", b.source())
                        .register(registry)
                        .increment());
    }

    @Override
    public void submitted(VaultHealth h, BlockRef block, TxKind kind, String route, java.util.Optional<TxHash> tx) {
        Counter.builder(ACTIONS)
                .tag("kind", kind.label())
                .description("Vault actions signed and sent")
                .register(registry)
                .increment();
    }

    @Override
    public void acting(VaultHealth h, BlockRef block, io.unwind.domain.plan.ActReason reason) {
        if (reason.kind() != io.unwind.domain.plan.ActReason.Kind.PREDICTED) return;
        Counter.builder(ACTIONS_PREDICTED)
                .description("Actions taken early, between a vault's soft and hard triggers, on a predicted probability"
                        + " of liquidation above its owner's threshold")
                .register(registry)
                .increment();
    }

    /** Binds the per-market volatility gauges to the keeper's estimates (markets appear as they are first priced). */
    public void volatility(
            java.util.function.Supplier<Map<String, io.unwind.domain.risk.MarketVolatility.Reading>> readings) {
        this.volatility = readings;
    }

    private void registerVolatility() {
        var now = volatility.get();
        for (String market : now.keySet()) {
            if (!volatilityMarkets.add(market)) continue;
            Gauge.builder(MARKET_VOLATILITY, () -> {
                        var r = volatility.get().get(market);
                        return r == null ? Double.NaN : r.sigmaAnnual();
                    })
                    .tag("market", market)
                    .description(
                            "The market's volatility as the keeper predicts with it, a year (0.8 = 80%): the largest"
                                    + " of its oracle's and pool's fast and slow estimates and the floor, times the liquidation"
                                    + " queue's multiplier")
                    .register(registry);
        }
    }

    @Override
    public void attention(VaultHealth h, String what) {
        String kind = what.contains(":") ? what.substring(0, what.indexOf(':')) : what;
        Counter.builder(ATTENTION)
                .tag("reason", kind.length() > 40 ? kind.substring(0, 40) : kind)
                .description("Conditions an operator should look at")
                .register(registry)
                .increment();
    }

    @Override
    public void ticked(TickResult r) {
        head.set(r.block().number());
        headTime.set(r.block().timestamp().getEpochSecond());
        tick.record(r.total());
        scan.record(r.scan());
        watched.set(r.outcomes().size());
        long unread = 0;
        for (VaultOutcome o : r.outcomes()) {
            Counter.builder(OUTCOMES)
                    .description("What each tick did about each vault (healthy, held, action sent, ...), by kind")
                    .tag("kind", o.kind().name())
                    .register(registry)
                    .increment();
            if (o.kind() == VaultOutcome.Kind.UNREADABLE) {
                unread++;
                lastRead.put(o.vault(), new LastRead(clock.millis(), false, true));
            }
        }
        // Over the trigger is a fact about the vault, not about what this keeper did: a held vault may be healthy (no
        // policy, keeper not allowed) and an acted-on one is still over its trigger until the action is mined.
        overTrigger.set(overInThisTick.size());
        overInThisTick.clear();
        unreadable.set(unread);
        registerVolatility();
    }

    /**
     * The vaults read from chain without a tick, at {@code block}: while the journal's database is down the keeper
     * cannot act, but it still reads every vault at each head so that its gauges show where the vaults are. Updates the
     * per-vault gauges, the last reads the counts are taken over, and the head gauges; counts no tick outcome.
     */
    public void readWithoutTick(BlockRef block, List<VaultHealth> read, List<Address> unreadableVaults) {
        long over = 0;
        for (VaultHealth h : read) {
            observed(h, block);
            if (h.overTrigger()) over++;
        }
        overInThisTick.clear();
        long now = clock.millis();
        for (Address a : unreadableVaults) lastRead.put(a, new LastRead(now, false, true));
        if (block.number() >= head.get()) {
            head.set(block.number());
            headTime.set(block.timestamp().getEpochSecond());
        }
        watched.set(read.size() + unreadableVaults.size());
        overTrigger.set(over);
        unreadable.set(unreadableVaults.size());
    }

    /** Binds the gauge of vaults skipped because their market is not in the keeper's list (markets:). */
    public void skippedVaults(java.util.function.Supplier<Number> count) {
        Gauge.builder(VAULTS_SKIPPED, count)
                .description("Vaults not watched because their Morpho market is not in the keeper's market list")
                .register(registry);
    }

    /** Sets the keeper's balance gauge (read from chain by the node, off the tick's path). */
    public void keeperBalance(Address keeper, io.unwind.domain.money.Wei balance) {
        balances.computeIfAbsent(keeper, k -> {
                    var v = new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
                    Gauge.builder(KEEPER_BALANCE, v, java.util.concurrent.atomic.AtomicReference::get)
                            .tag("keeper", k.hex())
                            .description("Native balance of the keeper account, in wei: what it has left for gas")
                            .register(registry);
                    return v;
                })
                .set(balance.value().doubleValue());
    }

    private static double wad(BigInteger v) {
        return Ltv.fractionAsDouble(v);
    }
}
