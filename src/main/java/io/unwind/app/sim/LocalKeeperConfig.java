package io.unwind.app.sim;

import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketDeployment;
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
}
