package io.unwind.app.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketDeployment;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.route.aggregator.Vendor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The keeper configuration for a local chain and market, as the simulator, devnet and tests use it. */
public final class LocalKeeperConfig {
    private LocalKeeperConfig() {}

    /**
     * @param vaults the vaults to watch (empty: every vault of the market's factory)
     * @param devAccount the anvil account the keeper signs with
     * @param httpPort serve metrics and the status page on this port (0: any free port), or not at all
     */
    public static UnwindConfig of(
            LocalChain chain,
            MarketDeployment m,
            List<Address> vaults,
            int devAccount,
            String journalUrl,
            Optional<Integer> httpPort) {
        return ConfigLoader.parse(
                tree(chain, List.of(m), BigDecimal.ONE, vaults, devAccount, journalUrl, httpPort, true));
    }

    /**
     * The same for several markets on one Morpho and one Uniswap deployment (the first's contracts serve all, see
     * {@code LocalMarket.deployAlongside}): the keeper acts on every one of them.
     *
     * @param nativePrice the first market's collateral price in its loan token: the first collateral stands in for the
     *     native token, and this prices gas on the other markets
     */
    public static UnwindConfig of(
            LocalChain chain,
            List<MarketDeployment> markets,
            BigDecimal nativePrice,
            List<Address> vaults,
            int devAccount,
            String journalUrl,
            Optional<Integer> httpPort) {
        return ConfigLoader.parse(tree(chain, markets, nativePrice, vaults, devAccount, journalUrl, httpPort, true));
    }

    /**
     * The same, routing through {@code aggregators} served by {@code emulator} (with the keys it demands) and, with
     * {@code onChainRoutes}, through the Uniswap pools directly too.
     */
    public static UnwindConfig of(
            LocalChain chain,
            MarketDeployment m,
            List<Address> vaults,
            int devAccount,
            String journalUrl,
            Optional<Integer> httpPort,
            AggregatorEmulator emulator,
            List<Vendor> aggregators,
            boolean onChainRoutes) {
        UnwindConfig c = ConfigLoader.parse(
                tree(chain, List.of(m), BigDecimal.ONE, vaults, devAccount, journalUrl, httpPort, onChainRoutes));
        // A local emulator answers in milliseconds once warm; two seconds cover a cold first request on a busy machine
        // and still let a slow one (three seconds) be skipped.
        return c.withAggregators(aggregators.stream()
                .map(v -> new UnwindConfig.Aggregator(
                        v,
                        emulator.baseUrl(v),
                        Optional.empty(),
                        emulator.apiKey(v),
                        Duration.ofSeconds(2),
                        200,
                        0,
                        Optional.of(AggregatorEmulator.CHAIN_SLUG)))
                .toList());
    }

    /** Only what a local chain needs differently is written here; every other setting takes its default. */
    private static ObjectNode tree(
            LocalChain chain,
            List<MarketDeployment> markets,
            BigDecimal nativePrice,
            List<Address> vaults,
            int devAccount,
            String journalUrl,
            Optional<Integer> httpPort,
            boolean onChainRoutes) {
        MarketDeployment m = markets.get(0);
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        ObjectNode ch = c.putObject("chain")
                .put("id", chain.chainId())
                .put("pollInterval", "50ms") // anvil mines on demand: a head is noticed within a tick
                .put("callTimeout", "10s") // a busy machine running many anvils at once
                .put("confirmations", 1);
        ch.putArray("endpoints")
                .addObject()
                .put("name", "anvil")
                .put("url", chain.httpUrl().toString())
                .put("ws", chain.wsUrl().toString());
        ObjectNode k = c.putObject("contracts")
                .put("morpho", m.morpho().hex())
                .put("lens", m.vaultLens().hex())
                .put("nativeToken", m.collateral().address().hex());
        if (onChainRoutes) {
            k.put("uniswapV3Quoter", m.quoterV2().hex())
                    .put("uniswapV3Router", m.swapRouter().hex())
                    .put("uniswapV2Router", m.uniswapV2Router().hex());
        }
        if (vaults.isEmpty()) k.put("factory", m.vaultFactory().hex());
        ArrayNode watched = c.putArray("vaults");
        vaults.forEach(v -> watched.add(v.hex()));
        // The local market is the one the demo and the devnet's vaults are on: the keeper acts on it alone, as a
        // production keeper acts only on the markets it lists.
        ArrayNode ids = c.putArray("markets");
        markets.forEach(x -> ids.add(x.marketId()));
        c.putObject("keeper").put("devAccount", devAccount);
        c.putObject("routing").put("roundTimeout", "5s");
        c.putObject("journal").put("url", journalUrl);
        c.putObject("scheduler").put("intervalFallback", "5s").put("factoryRefreshBlocks", 5);
        c.putObject("http").put("enabled", httpPort.isPresent()).put("port", httpPort.orElse(0));
        // The first market's collateral stands in for the native token; a market with another collateral cannot price
        // gas from its own oracle, so its loan token gets the first market's starting price, as an operator sets one.
        ObjectNode nativePrices = JsonNodeFactory.instance.objectNode();
        for (MarketDeployment x : markets.subList(1, markets.size())) {
            if (!x.collateral().address().equals(m.collateral().address())
                    && !x.loan().address().equals(m.loan().address()))
                nativePrices.put(x.loan().address().hex(), nativePrice.toPlainString());
        }
        if (!nativePrices.isEmpty()) c.putObject("gas").set("nativePrices", nativePrices);
        return c;
    }
}
