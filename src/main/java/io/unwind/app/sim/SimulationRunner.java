package io.unwind.app.sim;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.node.KeeperNode;
import io.unwind.chain.Receipt;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultEvents;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.PriceStatus;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.RouteFinder;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.DevWallet;
import io.unwind.local.Liquidator;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.PriceMover;
import io.unwind.local.VaultSetup;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.route.aggregator.SwapCalldata;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Plays a scenario on a local chain against the real keeper: anvil with the scenario's market and vaults, the same
 * {@link KeeperNode} {@code unwind run} starts, and the price path played block by block (the feed updated, the pools
 * arbitraged to it), with a liquidator that liquidates every vault Morpho lets it. The chain mines only when the
 * simulator says so, after the keeper has finished its tick on the previous block, so a run is repeatable and an action
 * sent at block b is in block b + 1 at the earliest.
 */
public final class SimulationRunner {
    private static final int KEEPER_ACCOUNT = 3;

    /** How a run is watched: a line per notable event (the demo's timeline) and the keeper's own HTTP port. */
    public interface Listener {
        default void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {}

        default void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {}

        default void event(long block, String text) {}

        /** The emulated aggregators, when the scenario has any (a test may change how they behave mid-run). */
        default void aggregators(AggregatorEmulator emulator) {}

        /** Every routing round of the keeper, with the ranked and rejected routes. */
        default void routed(VaultHealth h, RouteFinder.Found found) {}
    }

    public record Options(Optional<Integer> httpPort, Duration tickTimeout) {
        public static Options defaults() {
            return new Options(Optional.empty(), Duration.ofSeconds(60));
        }
    }

    private final Scenario scenario;
    private final Options options;
    private final Listener listener;

    public SimulationRunner(Scenario scenario, Options options, Listener listener) {
        this.scenario = scenario;
        this.options = options;
        this.listener = listener;
    }

    private static final class VaultTrack {
        final String name;
        final Address address;
        final boolean keeper;
        final BigDecimal trigger;
        BigDecimal maxLtv = BigDecimal.ZERO;
        BigDecimal lastLtv = BigDecimal.ZERO;
        BigDecimal equityStart;
        BigDecimal equityEnd;
        Long crossedAt;
        Long liquidatedAt;
        final List<SimulationReport.Action> actions = new ArrayList<>();
        /**
         * Ticks in which the keeper did not act on the vault over its trigger, by why (written by the keeper's thread).
         */
        final Map<String, Integer> holds = new ConcurrentHashMap<>();

        PriceStatus priceStatus = PriceStatus.OK;

        VaultTrack(String name, Address address, boolean keeper, BigDecimal trigger) {
            this.name = name;
            this.address = address;
            this.keeper = keeper;
            this.trigger = trigger;
        }
    }

    public SimulationReport run() {
        try (LocalChain chain = LocalChain.start(LocalChain.Options.defaults().withFifoOrder())) {
            return run(chain);
        }
    }

    private SimulationReport run(LocalChain chain) {
        Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
        Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl());
        try {
            MarketDeployment m = LocalMarket.deploy(web3j, chain.chainId(), scenario.market());
            Address keeperAddress =
                    LocalChain.devSigner(KEEPER_ACCOUNT, chain.chainId()).address();
            List<VaultTrack> tracks = openVaults(web3j, m, keeperAddress);
            Map<Address, String> names = new LinkedHashMap<>();
            tracks.forEach(t -> names.put(t.address, t.name));

            PriceMover mover = new PriceMover(web3j, m).noWait();
            mover.prepare();
            Liquidator liquidator = new Liquidator(web3j, m);
            liquidator.prepare();
            VaultLensReader lens =
                    new VaultLensReader(client, m.vaultLens(), keeperAddress, new TokenCatalog(client), 500);

            Map<Address, String> routes = new ConcurrentHashMap<>();
            KeeperEvents capture = new KeeperEvents() {
                @Override
                public void submitted(VaultHealth h, BlockRef block, TxKind kind, String route, Optional<TxHash> tx) {
                    routes.put(h.vault(), route);
                }

                @Override
                public void routed(VaultHealth h, RouteFinder.Found found) {
                    listener.routed(h, found);
                }
            };
            List<Address> watched =
                    tracks.stream().filter(t -> t.keeper).map(t -> t.address).toList();
            emulator = scenario.aggregators().isEmpty() ? null : startAggregators(client, web3j, m, tracks);
            String journal = "jdbc:h2:mem:unwind-sim-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
            UnwindConfig config = (emulator == null
                            ? LocalKeeperConfig.of(chain, m, watched, KEEPER_ACCOUNT, journal, options.httpPort())
                            : LocalKeeperConfig.of(
                                    chain,
                                    m,
                                    watched,
                                    KEEPER_ACCOUNT,
                                    journal,
                                    options.httpPort(),
                                    emulator,
                                    scenario.aggregators(),
                                    scenario.onChainRoutes()))
                    .withChunking(scenario.chunking())
                    .withScan(scenario.fullScanEveryBlocks(), 300);
            try (KeeperNode node = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER_ACCOUNT, chain.chainId()), Clock.systemUTC(), capture)) {
                AtomicLong ticked = new AtomicLong(-1);
                Map<Address, VaultTrack> byAddress = new HashMap<>();
                tracks.forEach(tr -> byAddress.put(tr.address, tr));
                java.util.Queue<String[]> firstHolds = new java.util.concurrent.ConcurrentLinkedQueue<>();
                node.onTick(r -> {
                    for (VaultOutcome o : r.outcomes()) {
                        VaultTrack tr = byAddress.get(o.vault());
                        String why = holdKey(o);
                        if (tr == null || why == null) continue;
                        if (tr.holds.merge(why, 1, Integer::sum) == 1)
                            firstHolds.add(new String[] {
                                tr.name, why, Long.toString(r.block().number()), String.valueOf(o.detail())
                            });
                    }
                    synchronized (ticked) {
                        ticked.set(Math.max(ticked.get(), r.block().number()));
                        ticked.notifyAll();
                    }
                });
                node.start();
                listener.setUp(scenario, m, names, node);

                BlockRef start = client.latestBlock();
                record(lens, start, tracks, 0, true);
                if (!watched.isEmpty()) awaitTick(ticked, start.number());
                chain.setAutomine(false);
                long t = start.timestamp().getEpochSecond();
                List<SimulationReport.PriceStep> steps = new ArrayList<>();
                steps.add(new SimulationReport.PriceStep(0, scenario.priceAt(0)));
                long last = scenario.lastBlock() + scenario.settleBlocks();
                BigDecimal price = scenario.priceAt(0);
                BigDecimal published = price; // the feed's (and so the market oracle's) last answer
                for (long b = 1; b <= last; b++) {
                    BigDecimal p = scenario.priceAt(b);
                    boolean frozen = scenario.feedFrozenAt(b);
                    boolean wasFrozen = scenario.feedFrozenAt(b - 1);
                    if (frozen) {
                        if (!wasFrozen)
                            listener.event(
                                    b,
                                    "the price feed stops updating (the pools still move): it stays at "
                                            + published
                                                    .setScale(2, RoundingMode.HALF_UP)
                                                    .toPlainString());
                        if (p.compareTo(price) != 0) mover.tradePoolsTo(p);
                    } else {
                        if (p.compareTo(price) != 0 || p.compareTo(published) != 0) mover.moveTo(p);
                        if (wasFrozen)
                            listener.event(
                                    b,
                                    "the price feed updates again: "
                                            + p.setScale(2, RoundingMode.HALF_UP)
                                                    .toPlainString());
                        published = p;
                    }
                    price = p;
                    scenario.baseFeeGweiAt(b)
                            .ifPresent(g -> chain.setNextBlockBaseFee(Wei.parseGwei(
                                    g.setScale(9, RoundingMode.DOWN).toPlainString())));
                    t += scenario.blockTime().toSeconds();
                    chain.setNextBlockTimestamp(t);
                    chain.mine(1);
                    mover.settle();
                    liquidator.settle();
                    BlockRef head = client.latestBlock();
                    steps.add(new SimulationReport.PriceStep(b, published));
                    collectActions(client, head, b, tracks, routes);
                    List<VaultHealth> healths = record(lens, head, tracks, b, false);
                    liquidate(liquidator, healths, tracks, b, m);
                    Map<String, BigDecimal> ltvs = new LinkedHashMap<>();
                    tracks.forEach(tr -> ltvs.put(tr.name, tr.lastLtv));
                    listener.block(b, published, ltvs);
                    if (!watched.isEmpty()) awaitTick(ticked, head.number());
                    for (String[] h; (h = firstHolds.poll()) != null; ) {
                        listener.event(
                                Long.parseLong(h[2]) - start.number(),
                                h[0] + ": keeper holds (" + h[1] + "): " + shorten(h[3], 160));
                    }
                }
                BlockRef end = client.latestBlock();
                record(lens, end, tracks, last, false);
                tracks.forEach(tr -> tr.equityEnd = equityOf(lens, end, tr.address, tr));
                return report(m, tracks, steps, last, keeperAddress);
            }
        } finally {
            if (emulator != null) emulator.close();
            client.close();
            web3j.shutdown();
        }
    }

    private AggregatorEmulator emulator;

    /**
     * Serves the scenario's aggregators over the local pools, with its faults, and has each protected vault's owner
     * also allow SwapRouter's multicall: the route an aggregator takes to split a sale across the V3 pools.
     */
    private AggregatorEmulator startAggregators(
            Web3jChainClient client, Web3j web3j, MarketDeployment m, List<VaultTrack> tracks) {
        AggregatorEmulator e = AggregatorEmulator.start(client, m, java.util.EnumSet.copyOf(scenario.aggregators()));
        scenario.aggregatorFaults().forEach(e::behave);
        DevWallet owner = new DevWallet(web3j, LocalChain.devAccount(2), m.chainId());
        byte[] multicall = java.util.HexFormat.of().parseHex(SwapCalldata.V3_MULTICALL.substring(2));
        for (VaultTrack t : tracks) {
            if (!t.keeper) continue;
            String allow = VaultCalls.setRoute(t.address, m.swapRouter(), multicall, true)
                    .hex();
            owner.send(t.address, allow, BigInteger.ZERO, BigInteger.valueOf(200_000));
        }
        owner.flush();
        listener.aggregators(e);
        return e;
    }

    private List<VaultTrack> openVaults(Web3j web3j, MarketDeployment m, Address keeper) {
        List<VaultSetup.Request> requests = new ArrayList<>();
        List<VaultTrack> tracks = new ArrayList<>();
        for (Scenario.VaultGroup g : scenario.vaults()) {
            for (int i = 1; i <= g.count(); i++) {
                String name = g.count() == 1 ? g.name() : g.name() + "-" + i;
                VaultSetup.Request r = VaultSetup.Request.of(
                                LocalChain.devAccount(2),
                                g.collateral().toPlainString(),
                                g.ltv().toPlainString())
                        .withReserve(g.reserve());
                if (g.policy().isPresent()) r = r.withPolicy(policy(g.policy().get()));
                if (g.guard().isPresent()) r = r.withGuard(guard(g.guard().get(), m));
                if (g.keeper()) r = r.withKeeper(keeper);
                requests.add(r);
                tracks.add(new VaultTrack(
                        name,
                        null,
                        g.keeper(),
                        g.policy().map(Scenario.PolicySpec::trigger).orElse(null)));
            }
        }
        List<Address> addresses =
                new VaultSetup(web3j, m).openAll(requests, scenario.market().price());
        List<VaultTrack> out = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            VaultTrack t = tracks.get(i);
            out.add(new VaultTrack(t.name, addresses.get(i), t.keeper, t.trigger));
        }
        return out;
    }

    static Policy policy(Scenario.PolicySpec p) {
        return new Policy(
                bps(p.trigger()),
                bps(p.target()),
                bps(p.band()),
                p.maxSlippageBps(),
                p.maxFeeBps(),
                p.maxSellBps(),
                p.cooldown(),
                Wei.parseGwei(p.maxGasPriceGwei().toPlainString()));
    }

    /** The guard a scenario's vault sets: the market's own feed, or none. */
    static Guard guard(Scenario.GuardSpec g, MarketDeployment m) {
        return new Guard(
                g.marketFeed() ? m.feed() : Address.ZERO,
                g.maxPriceAge(),
                g.maxPriceDeviationBps(),
                g.sellWindow(),
                g.maxWindowSellBps());
    }

    /**
     * Why the keeper did not act on a vault in a tick, in words that do not depend on the planner's enum: a hold's
     * reason as the keeper words it ("cooling down", "price stale"), "would revert: PriceStale" for a refused
     * simulation, or the outcome's own words; null when it acted, waited for its transaction, or had nothing to do.
     */
    static String holdKey(VaultOutcome o) {
        String detail = o.detail() == null ? "" : o.detail();
        return switch (o.kind()) {
            case HEALTHY, SUBMITTED, IN_FLIGHT -> null;
            case HELD -> {
                int colon = detail.indexOf(':');
                yield colon < 0 ? detail : detail.substring(0, colon);
            }
            // Each route refused, or the exact call refused: named by the vault's error when one was given.
            case NO_ROUTE, SIMULATION_REVERTED -> {
                java.util.regex.Matcher m = CONTRACT_ERROR.matcher(detail);
                yield o.kind().describe() + (m.find() ? ": " + m.group(1) : "");
            }
            default -> o.kind().describe();
        };
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** A contract error as Reverts.explain writes it: "PriceStale(updatedAt=..., maxAge=30)". */
    private static final java.util.regex.Pattern CONTRACT_ERROR =
            java.util.regex.Pattern.compile("\\b([A-Z][A-Za-z0-9]+)\\(");

    private static int bps(BigDecimal fraction) {
        return fraction.movePointRight(4).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    private void awaitTick(AtomicLong ticked, long block) {
        long deadline = System.nanoTime() + options.tickTimeout().toNanos();
        synchronized (ticked) {
            while (ticked.get() < block) {
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new IllegalStateException(
                            "the keeper did not tick on block " + block + " within " + options.tickTimeout());
                try {
                    TimeUnit.NANOSECONDS.timedWait(ticked, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private List<VaultHealth> record(
            VaultLensReader lens, BlockRef head, List<VaultTrack> tracks, long step, boolean first) {
        var scan = lens.read(tracks.stream().map(t -> t.address).toList(), head);
        Map<Address, VaultHealth> byVault = new HashMap<>();
        scan.vaults().forEach(h -> byVault.put(h.vault(), h));
        for (VaultTrack t : tracks) {
            VaultHealth h = byVault.get(t.address);
            if (h == null) continue;
            BigDecimal ltv = fraction(h.ltv());
            t.lastLtv = ltv;
            if (ltv.compareTo(t.maxLtv) > 0) t.maxLtv = ltv;
            if (first) t.equityStart = equity(h);
            PriceStatus status = h.guard().priceStatus();
            if (h.guard().guard().hasFeed() && status != t.priceStatus) {
                listener.event(
                        step,
                        t.name + ": price guard "
                                + (status.ok()
                                        ? "fresh again: keepers may act"
                                        : status.name().replace('_', ' ') + " (" + status.describe()
                                                + "): keepers held"));
            }
            t.priceStatus = status;
            if (t.trigger != null && t.crossedAt == null && ltv.compareTo(t.trigger) >= 0 && !first) {
                t.crossedAt = step;
                listener.event(step, t.name + " crosses its trigger: LTV " + pct(ltv));
            }
        }
        return scan.vaults();
    }

    private void liquidate(
            Liquidator liquidator, List<VaultHealth> healths, List<VaultTrack> tracks, long b, MarketDeployment m) {
        for (VaultHealth h : healths) {
            if (h.liquidatable()) {
                String tx = liquidator.liquidateIfPossible(h.vault(), h.collateral(), h.borrowShares());
                if (tx == null) continue;
                for (VaultTrack t : tracks) {
                    if (t.address.equals(h.vault()) && t.liquidatedAt == null) {
                        t.liquidatedAt = b + 1;
                        listener.event(
                                b + 1,
                                t.name + " is liquidated at LTV " + pct(fraction(h.ltv())) + " (LLTV "
                                        + pct(fraction(h.lltv())) + ")");
                    }
                }
            }
        }
    }

    private void collectActions(
            Web3jChainClient client, BlockRef head, long b, List<VaultTrack> tracks, Map<Address, String> routes) {
        List<Address> addresses = tracks.stream().map(t -> t.address).toList();
        List<Receipt.LogEntry> logs =
                client.logs(addresses, VaultEvents.keeperActionTopics(), head.number(), head.number());
        for (Receipt.LogEntry l : logs) {
            VaultEvents.KeeperAction k = VaultEvents.keeperAction(l).orElseThrow();
            VaultTrack t = tracks.stream()
                    .filter(x -> x.address.equals(l.address()))
                    .findFirst()
                    .orElseThrow();
            long gas = l.txHash() == null
                    ? 0
                    : client.receipt(l.txHash())
                            .map(r -> r.gasUsed().longValue())
                            .orElse(0L);
            SimulationReport.Action a = k.sale()
                    ? new SimulationReport.Action(
                            b,
                            "sell",
                            routes.getOrDefault(t.address, "?"),
                            k.collateralSold().toString(),
                            k.debtRepaid().toString(),
                            gas,
                            String.valueOf(l.txHash()),
                            fraction(k.ltvBefore()),
                            fraction(k.ltvAfter()))
                    : new SimulationReport.Action(
                            b,
                            "topup",
                            "reserve",
                            "0",
                            k.debtRepaid().toString(),
                            gas,
                            String.valueOf(l.txHash()),
                            fraction(k.ltvBefore()),
                            fraction(k.ltvAfter()));
            t.actions.add(a);
            listener.event(b, t.name + ": " + describe(a));
        }
    }

    private String describe(SimulationReport.Action a) {
        var ms = scenario.market();
        if (a.kind().equals("sell")) {
            return "keeper sold "
                    + human(new BigInteger(a.collateralSold()), ms.collateral().decimals()) + " "
                    + ms.collateral().symbol()
                    + " via " + a.route() + ", repaid "
                    + human(new BigInteger(a.debtRepaid()), ms.loan().decimals()) + " "
                    + ms.loan().symbol()
                    + ", LTV " + pct(a.ltvBefore()) + " -> " + pct(a.ltvAfter()) + " (gas " + a.gasUsed() + ")";
        }
        return "keeper topped up "
                + human(new BigInteger(a.debtRepaid()), ms.loan().decimals()) + " "
                + ms.loan().symbol() + " from the reserve, LTV " + pct(a.ltvBefore()) + " -> " + pct(a.ltvAfter())
                + " (gas " + a.gasUsed() + ")";
    }

    private BigDecimal equityOf(VaultLensReader lens, BlockRef head, Address vault, VaultTrack t) {
        var scan = lens.read(List.of(vault), head);
        return scan.vaults().isEmpty() ? BigDecimal.ZERO : equity(scan.vaults().get(0));
    }

    /**
     * Collateral value at the oracle price, minus debt, plus the reserve: what the owner would have, in loan tokens.
     */
    private static BigDecimal equity(VaultHealth h) {
        BigInteger units = Ltv.collateralValue(h.collateral(), h.price())
                .subtract(h.debt())
                .add(h.reserve());
        return new BigDecimal(units).movePointLeft(h.loanToken().decimals()).setScale(2, RoundingMode.HALF_UP);
    }

    private SimulationReport report(
            MarketDeployment m,
            List<VaultTrack> tracks,
            List<SimulationReport.PriceStep> steps,
            long blocks,
            Address keeper) {
        List<SimulationReport.Vault> vaults = new ArrayList<>();
        List<Long> reactions = new ArrayList<>();
        int actions = 0;
        for (VaultTrack t : tracks) {
            if (t.keeper && t.crossedAt != null) {
                t.actions.stream()
                        .filter(a -> a.block() >= t.crossedAt)
                        .findFirst()
                        .ifPresent(a -> reactions.add(a.block() - t.crossedAt));
            }
            actions += t.actions.size();
            vaults.add(new SimulationReport.Vault(
                    t.name,
                    t.address.hex(),
                    t.keeper,
                    t.liquidatedAt != null,
                    t.liquidatedAt,
                    t.maxLtv.setScale(4, RoundingMode.HALF_UP),
                    t.lastLtv.setScale(4, RoundingMode.HALF_UP),
                    t.equityStart,
                    t.equityEnd,
                    t.crossedAt,
                    List.copyOf(t.actions),
                    new java.util.TreeMap<>(t.holds)));
        }
        reactions.sort(Long::compare);
        var reaction = new SimulationReport.ReactionBlocks(
                reactions.isEmpty() ? null : reactions.get(reactions.size() - 1),
                reactions.isEmpty() ? null : reactions.get((reactions.size() - 1) / 2),
                reactions.size());
        int prot = (int) tracks.stream().filter(t -> t.keeper).count();
        int protLiq = (int)
                tracks.stream().filter(t -> t.keeper && t.liquidatedAt != null).count();
        int unprotLiq = (int)
                tracks.stream().filter(t -> !t.keeper && t.liquidatedAt != null).count();
        return new SimulationReport(
                scenario.name(),
                blocks,
                m.collateral().symbol(),
                m.loan().symbol(),
                vaults,
                new SimulationReport.Keeper(keeper.hex(), reaction, actions, prot, protLiq, unprotLiq),
                steps);
    }

    static BigDecimal fraction(BigInteger wad) {
        if (wad.equals(Ltv.UINT256_MAX)) return new BigDecimal("999");
        return new BigDecimal(wad).movePointLeft(18).setScale(6, RoundingMode.HALF_UP);
    }

    static String pct(BigDecimal f) {
        return Ltv.percent(f, RoundingMode.HALF_UP);
    }

    static String human(BigInteger units, int decimals) {
        return io.unwind.domain.money.TokenAmount.displayDecimal(units, decimals)
                .toPlainString();
    }
}
