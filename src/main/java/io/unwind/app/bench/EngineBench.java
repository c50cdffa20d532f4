package io.unwind.app.bench;

import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultEvents;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.KeeperEvents;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.MarketSpec;
import io.unwind.local.PriceMover;
import io.unwind.local.VaultSetup;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Measures the engine on a local chain with many vaults: the time to read them all through the lens, the time to
 * decide, and the latency from a new head being mined to the keeper's transaction being broadcast. Vaults are opened at
 * LTVs spread below the trigger and the price falls a little every block, so that every block brings vaults across
 * their trigger and the keeper acts on them. Prints numbers; asserts nothing.
 */
public final class EngineBench {
    private static final int KEEPER = 3;
    /**
     * Vaults per set-up transaction (~0.7M gas each: clone, fund, borrow, policy, keeper, routes). 20 keeps each block
     * under the 15M gas target, so the base fee falls instead of rising 12.5% a block over hundreds of set-up blocks.
     */
    static final int FLEET_BATCH = 20;

    public record Result(
            int vaults,
            Stats scanMillis,
            Stats decideMillis,
            Stats tickMillis,
            Stats headToBroadcastMillis,
            Stats blocksToInclusion,
            int actions,
            long setupSeconds,
            long heapMb,
            long rssMb) {}

    /** Percentiles of a sample, in its own unit. */
    public record Stats(int n, double p50, double p99, double max, double mean) {
        static Stats of(List<Double> xs) {
            if (xs.isEmpty()) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            List<Double> s = new ArrayList<>(xs);
            Collections.sort(s);
            double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Stats(s.size(), at(s, 0.50), at(s, 0.99), s.get(s.size() - 1), mean);
        }

        private static double at(List<Double> s, double q) {
            return s.get(Math.min(s.size() - 1, (int) Math.ceil(q * s.size()) - 1));
        }

        @Override
        public String toString() {
            return String.format("p50 %.1f, p99 %.1f, max %.1f (n=%d)", p50, p99, max, n);
        }
    }

    public static Result run(int vaultCount, int blocks, PrintStream out) throws Exception {
        return run(vaultCount, blocks, new BigDecimal("20"), 1, out);
    }

    /**
     * @param stepBps how far the price falls every block, in basis points: with LTVs spread over 70-80%, each basis
     *     point brings about vaults/1250 of them across their trigger per block (20 bps: ~16 per block with 1,000
     *     vaults)
     */
    public static Result run(int vaultCount, int blocks, BigDecimal stepBps, int fullScanEvery, PrintStream out)
            throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChain.Options.defaults().withFifoOrder())) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl());
            try {
                long t0 = System.nanoTime();
                MarketSpec spec = MarketSpec.wethUsdc()
                        .withPools(List.of(
                                new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("200000000"))));
                MarketDeployment m = LocalMarket.deploy(web3j, chain.chainId(), spec);
                Address keeper = LocalChain.devSigner(KEEPER, chain.chainId()).address();
                Policy policy = new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(1000));
                List<BigDecimal> ltvs = new ArrayList<>();
                for (int i = 0; i < vaultCount; i++) {
                    // LTVs from 70.00% to 79.99%: a steady fall brings a few across the trigger every block.
                    ltvs.add(new BigDecimal("0.70")
                            .add(new BigDecimal("0.0999")
                                    .multiply(BigDecimal.valueOf(i))
                                    .divide(BigDecimal.valueOf(vaultCount), 6, RoundingMode.DOWN)));
                }
                List<Address> vaults = new VaultSetup(web3j, m)
                        .openFleet(BigDecimal.ONE, ltvs, policy, keeper, spec.price(), FLEET_BATCH);
                long setup = (System.nanoTime() - t0) / 1_000_000_000L;
                out.printf("set up %d vaults in %d s%n", vaultCount, setup);

                VaultLensReader lens =
                        new VaultLensReader(client, m.vaultLens(), keeper, new TokenCatalog(client), 500);
                List<Double> scans = new ArrayList<>();
                BlockRef head = client.latestBlock();
                for (int i = 0; i < 10; i++) {
                    long s = System.nanoTime();
                    var scan = lens.read(vaults, head);
                    scans.add((System.nanoTime() - s) / 1e6);
                    if (scan.vaults().size() != vaultCount)
                        throw new IllegalStateException(
                                "lens read " + scan.vaults().size());
                }

                Map<Long, Long> minedAt = new ConcurrentHashMap<>();
                List<Double> headToBroadcast = new CopyOnWriteArrayList<>();
                Map<Address, Long> submittedAt = new ConcurrentHashMap<>();
                KeeperEvents timing = new KeeperEvents() {
                    @Override
                    public void submitted(
                            VaultHealth h, BlockRef block, TxKind kind, String route, Optional<TxHash> tx) {
                        Long mined = minedAt.get(block.number());
                        if (mined != null) headToBroadcast.add((System.nanoTime() - mined) / 1e6);
                        submittedAt.putIfAbsent(h.vault(), block.number());
                    }
                };
                List<Double> decide = new CopyOnWriteArrayList<>();
                List<Double> headToTick = new CopyOnWriteArrayList<>();
                List<Double> ticks = new CopyOnWriteArrayList<>();
                List<Double> inclusion = new ArrayList<>();
                int actions = 0;
                long heapMb;
                long rssMb;
                try (KeeperNode node = new KeeperNode(
                        LocalKeeperConfig.of(
                                        chain,
                                        m,
                                        vaults,
                                        KEEPER,
                                        "jdbc:h2:mem:bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                                        Optional.empty())
                                .withScan(fullScanEvery, 300),
                        LocalChain.devSigner(KEEPER, chain.chainId()),
                        Clock.systemUTC(),
                        timing)) {
                    Object lock = new Object();
                    long[] lastTick = {-1};
                    node.onTick(r -> {
                        Long mined = minedAt.get(r.block().number());
                        if (mined != null)
                            headToTick.add(
                                    (System.nanoTime() - mined - r.total().toNanos()) / 1e6);
                        decide.add(r.decide().toNanos() / 1e6);
                        ticks.add(r.total().toNanos() / 1e6);
                        synchronized (lock) {
                            lastTick[0] = r.block().number();
                            lock.notifyAll();
                        }
                    });
                    node.start();
                    PriceMover mover = new PriceMover(web3j, m).noWait();
                    chain.setAutomine(false);
                    BigDecimal price = spec.price();
                    for (int b = 1; b <= blocks; b++) {
                        price = price.multiply(BigDecimal.valueOf(10_000)
                                        .subtract(stepBps)
                                        .movePointLeft(4))
                                .setScale(6, RoundingMode.DOWN);
                        mover.moveTo(price);
                        long before = chain.blockNumber();
                        chain.mine(1);
                        minedAt.put(before + 1, System.nanoTime());
                        mover.settle();
                        synchronized (lock) {
                            long deadline = System.nanoTime() + 60_000_000_000L;
                            while (lastTick[0] < before + 1 && System.nanoTime() < deadline) lock.wait(1000);
                        }
                    }
                    chain.mine(1);
                    for (var e : submittedAt.entrySet()) {
                        var events = client.logs(
                                List.of(e.getKey()),
                                List.of(VaultEvents.deleveragedTopic()),
                                e.getValue(),
                                chain.blockNumber());
                        if (!events.isEmpty()) {
                            inclusion.add((double) (events.get(0).blockNumber() - e.getValue()));
                            actions++;
                        }
                    }
                    out.printf("keeper submitted %d action(s), %d included%n", submittedAt.size(), actions);
                    node.lastTick().ifPresent(r -> out.println("last tick: " + r.counts()));
                    // Memory with the node still running and holding its last scan of every vault.
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                    rssMb = ScanBench.rssMb();
                }
                Result r = new Result(
                        vaultCount,
                        Stats.of(scans),
                        Stats.of(decide),
                        Stats.of(ticks),
                        Stats.of(headToBroadcast),
                        Stats.of(inclusion),
                        actions,
                        setup,
                        heapMb,
                        rssMb);
                out.printf(
                        "%nEngine benchmark, %d vaults on anvil, price -%s bps a block for %d blocks, %.1f actions a block, "
                                + "%s (%d cores, Java %s)%n",
                        vaultCount,
                        stepBps.toPlainString(),
                        blocks,
                        (double) actions / blocks,
                        fullScanEvery == 1
                                ? "every vault read every block"
                                : "far vaults re-read every " + fullScanEvery + " blocks",
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.version());
                out.printf("  scan (lens, all vaults)   ms: %s%n", r.scanMillis());
                out.printf("  head mined to tick start  ms: %s%n", Stats.of(headToTick));
                out.printf("  decide and act (per tick) ms: %s%n", r.decideMillis());
                out.printf("  whole tick                ms: %s%n", r.tickMillis());
                out.printf("  head to broadcast         ms: %s%n", r.headToBroadcastMillis());
                out.printf("  blocks to inclusion          : %s%n", r.blocksToInclusion());
                out.printf(
                        "  heap after GC / RSS       MB: %d / %d (max heap %d MB; the process also holds the benchmark's set-up)%n",
                        r.heapMb(), r.rssMb(), Runtime.getRuntime().maxMemory() / (1024 * 1024));
                return r;
            } finally {
                client.close();
                web3j.shutdown();
            }
        }
    }
}
