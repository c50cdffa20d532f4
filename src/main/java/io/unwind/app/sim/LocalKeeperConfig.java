package io.unwind.app.sim;

import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketDeployment;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.route.aggregator.Vendor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The keeper configuration for a local chain and market, as the simulator, devnet and tests use it. */
public final class LocalKeeperConfig {
    private LocalKeeperConfig() {}

    /**
     * @param vaults the vaults to watch (empty: every vault of the market's factory)
     * @param devAccount the anvil account the keeper signs with
     * @param httpPort serve metrics and the status page on this port (0: any free port), or not at all
     */
    public static UnwindConfig of(LocalChain chain, MarketDeployment m, List<Address> vaults, int devAccount, String journalUrl,
            Optional<Integer> httpPort) {
        var endpoint = new UnwindConfig.Endpoint("anvil", chain.httpUrl(), Optional.of(chain.wsUrl()));
        return new UnwindConfig(
                new UnwindConfig.Chain(chain.chainId(), List.of(endpoint), Optional.empty(), Duration.ofMillis(50), Duration.ofSeconds(10), 3, 1),
                new UnwindConfig.Contracts(Optional.empty(), m.morpho(), m.vaultLens(), vaults.isEmpty() ? Optional.of(m.vaultFactory()) : Optional.empty(),
                        Optional.of(m.quoterV2()), Optional.of(m.swapRouter()), Optional.of(m.uniswapV2Router()), Optional.of(m.collateral().address())),
                vaults,
                new UnwindConfig.Key(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(devAccount), false),
                new UnwindConfig.Strategy(10, 50, 20, 50, 5, Duration.ofMinutes(2), 20),
                new UnwindConfig.Routing(List.of(500, 3000, 10000), Duration.ofSeconds(5), 500),
                new UnwindConfig.Gas(new BigDecimal("50"), new BigDecimal("500"), 20, 3, Map.of()),
                new UnwindConfig.Journal(journalUrl, Optional.empty(), Optional.empty()),
                new UnwindConfig.Scheduler(Duration.ofSeconds(5), 5),
                new UnwindConfig.Http(httpPort.isPresent(), "127.0.0.1", httpPort.orElse(0)));
    }

    /**
     * The same, routing through {@code aggregators} served by {@code emulator} (with the keys it demands) and, with
     * {@code onChainRoutes}, through the Uniswap pools directly too.
     */
    public static UnwindConfig of(LocalChain chain, MarketDeployment m, List<Address> vaults, int devAccount, String journalUrl,
            Optional<Integer> httpPort, AggregatorEmulator emulator, List<Vendor> aggregators, boolean onChainRoutes) {
        UnwindConfig c = of(chain, m, vaults, devAccount, journalUrl, httpPort);
        if (!onChainRoutes) {
            var k = c.contracts();
            c = new UnwindConfig(c.chain(), new UnwindConfig.Contracts(k.deployment(), k.morpho(), k.lens(), k.factory(), Optional.empty(),
                    Optional.empty(), Optional.empty(), k.nativeToken()), c.vaults(), c.keeper(), c.strategy(), c.routing(), c.gas(),
                    c.journal(), c.scheduler(), c.http(), List.of());
        }
        // A local emulator answers in milliseconds once warm; two seconds cover a cold first request on a busy machine
        // and still let a slow one (three seconds) be skipped.
        return c.withAggregators(aggregators.stream().map(v -> new UnwindConfig.Aggregator(v, emulator.baseUrl(v), Optional.empty(),
                emulator.apiKey(v), Duration.ofSeconds(2), 200, 0, Optional.of(AggregatorEmulator.CHAIN_SLUG))).toList());
    }
}
