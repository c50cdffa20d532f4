package io.unwind.app.bench;

import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The health scan: every vault read through {@code VaultLens.healthOf} in chunks pinned to one block, against the same
 * vaults read one by one (one eth_call each), in the same run; and the keeper's memory while it holds the scan of all
 * of them. Prints numbers; asserts nothing.
 */
public final class ScanBench {
    private ScanBench() {}

    public record Result(
            int vaults,
            EngineBench.Stats batchedMillis,
            double oneByOneMillis,
            double ratio,
            long heapMb,
            long rssMb) {}

    public static Result run(int vaultCount, int chunk, PrintStream out) throws Exception {
        try (LocalChain chain = LocalChain.start()) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl());
            try {
                long t0 = System.nanoTime();
                MarketSpec spec = MarketSpec.wethUsdc()
                        .withPools(List.of(
                                new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("2000000"))));
                MarketDeployment m = LocalMarket.deploy(web3j, chain.chainId(), spec);
                Address keeper = LocalChain.devSigner(3, chain.chainId()).address();
                Policy policy = new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(1000));
                List<Address> vaults = new VaultSetup(web3j, m)
                        .openFleet(
                                BigDecimal.ONE,
                                Collections.nCopies(vaultCount, new BigDecimal("0.5")),
                                policy,
                                keeper,
                                spec.price(),
                                EngineBench.FLEET_BATCH);
                out.printf("set up %d vaults in %d s%n", vaultCount, (System.nanoTime() - t0) / 1_000_000_000L);

                VaultLensReader lens =
                        new VaultLensReader(client, m.vaultLens(), keeper, new TokenCatalog(client), chunk);
                BlockRef head = client.latestBlock();
                lens.read(
                        vaults.subList(0, Math.min(vaults.size(), chunk)), head); // warm the JIT and the token catalog
                List<Double> batched = new ArrayList<>();
                VaultLensReader.Scan last = null;
                for (int i = 0; i < 10; i++) {
                    long s = System.nanoTime();
                    last = lens.read(vaults, head);
                    batched.add((System.nanoTime() - s) / 1e6);
                    if (last.vaults().size() != vaultCount)
                        throw new IllegalStateException(
                                "lens read " + last.vaults().size() + " vaults");
                }
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                long rss = rssMb();
                if (last.vaults().isEmpty()) throw new IllegalStateException("empty scan"); // keep the scan reachable

                VaultLensReader single =
                        new VaultLensReader(client, m.vaultLens(), keeper, new TokenCatalog(client), 1);
                long s = System.nanoTime();
                for (Address v : vaults) {
                    if (single.read(List.of(v), head).vaults().size() != 1)
                        throw new IllegalStateException("cannot read " + v);
                }
                double oneByOne = (System.nanoTime() - s) / 1e6;
                EngineBench.Stats b = EngineBench.Stats.of(batched);
                Result r = new Result(vaultCount, b, oneByOne, oneByOne / b.p50(), heap, rss);
                out.printf(
                        "%nScan benchmark, %d vaults on anvil (%d cores, Java %s)%n",
                        vaultCount, Runtime.getRuntime().availableProcessors(), Runtime.version());
                out.printf("  lens, chunks of %d, in parallel  ms: %s%n", chunk, b);
                out.printf("  one eth_call per vault           ms: %.0f%n", oneByOne);
                out.printf("  ratio (one by one / lens p50)      : %.1fx%n", r.ratio());
                out.printf("  keeper heap after GC / RSS       MB: %d / %d%n", heap, rss);
                return r;
            } finally {
                client.close();
                web3j.shutdown();
            }
        }
    }

    /** Resident set size of this process, from /proc (Linux); -1 elsewhere. */
    static long rssMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
