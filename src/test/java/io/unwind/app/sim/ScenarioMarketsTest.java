package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A scenario's {@code markets:} list, and the files with one {@code market:} that must load as they always have. */
@Tag("chain")
class ScenarioMarketsTest {

    private static final String WETH = """
              - name: weth
                collateral: {symbol: WETH, decimals: 18}
                loan: {symbol: USDC, decimals: 6}
                lltv: 0.86
                price: 3000
                pools: [{dex: uniswap-v3, fee: 500, depth: 1000000}]
                prices: [{block: 0, price: 3000}, {block: 10, price: 2700}]
            """;
    private static final String WBTC = """
              - name: wbtc
                collateral: {symbol: WBTC, decimals: 8}
                loan: {symbol: USDC, decimals: 6}
                lltv: 0.77
                price: 60000
                pools: [{dex: uniswap-v2, depth: 2000000}]
                prices: [{block: 0, price: 60000}, {block: 20, price: 50000}]
            """;
    private static final String POLICY = "policy: {trigger: 0.75, target: 0.65}";

    private static Scenario two(String vaults) {
        return ScenarioFixtures.parse("name: two\nmarkets:\n" + WETH + WBTC + "vaults:\n" + vaults);
    }

    @Test
    void readsEachMarketWithItsOwnPricePath() {
        Scenario s = two("""
                  - {name: e, market: weth, count: 3, collateral: 2, ltv: 0.70, keeper: true, %s}
                  - {name: b, market: wbtc, collateral: 0.1, ltv: 0.70, keeper: true, %s}
                """.formatted(POLICY, POLICY));
        assertThat(s.markets()).extracting(Scenario.ScenarioMarket::name).containsExactly("weth", "wbtc");
        Scenario.ScenarioMarket btc = s.markets().get(1);
        assertThat(btc.spec().collateral().decimals()).isEqualTo(8);
        assertThat(btc.spec().lltv()).isEqualByComparingTo("0.77");
        assertThat(btc.priceAt(10)).isEqualByComparingTo("55000");
        assertThat(btc.priceAt(99)).isEqualByComparingTo("50000");
        // market and prices are the first market's; the run lasts as long as the longest path.
        assertThat(s.market()).isEqualTo(s.markets().get(0).spec());
        assertThat(s.priceAt(5)).isEqualByComparingTo("2850");
        assertThat(s.lastBlock()).isEqualTo(20);
        assertThat(s.vaults()).extracting(Scenario.VaultGroup::market).containsExactly("weth", "wbtc");
        assertThat(s.marketOf(s.vaults().get(1))).isSameAs(btc);
    }

    @Test
    void aSingleMarketListNeedsNoMarketOnItsVaults() {
        Scenario s =
                ScenarioFixtures.parse("name: one\nmarkets:\n" + WETH + "vaults: [{name: a, collateral: 1, ltv: 0.5}]");
        assertThat(s.vaults().get(0).market()).isNull();
        assertThat(s.marketOf(s.vaults().get(0)).name()).isEqualTo("weth");
    }

    /** Every shipped file with one market: loads as before, its market named "market" and its vaults on it. */
    @Test
    void singleMarketFilesLoadUnchanged() throws Exception {
        List<Path> files;
        try (var list = Files.list(Path.of("scenarios"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int single = 0;
        for (Path f : files) {
            if (!Files.readString(f).contains("\nmarket:")) continue;
            single++;
            Scenario s = ScenarioLoader.load(f);
            assertThat(s.markets()).as(f.toString()).hasSize(1);
            Scenario.ScenarioMarket only = s.markets().get(0);
            assertThat(only.name()).isEqualTo(Scenario.SINGLE_MARKET);
            assertThat(only.spec()).isEqualTo(s.market());
            assertThat(only.prices()).isEqualTo(s.prices());
            assertThat(s.lastBlock())
                    .isEqualTo(s.prices().get(s.prices().size() - 1).block());
            assertThat(s.vaults()).allSatisfy(g -> assertThat(g.market()).isNull());
        }
        assertThat(single).isGreaterThanOrEqualTo(4);
        assertThat(ScenarioLoader.builtIn("demo").markets()).hasSize(1);
    }

    @Test
    void theTwoAssetFleetCrossesEveryTriggerWithinThreeBlocks() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/fleet-two-assets.yaml"));
        assertThat(s.markets()).extracting(Scenario.ScenarioMarket::name).containsExactly("weth", "wbtc");
        assertThat(s.blockTime().toSeconds()).isEqualTo(12);
        assertThat(s.lastBlock() + s.settleBlocks()).isBetween(60L, 80L);
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Scenario.VaultGroup g : s.vaults()) {
            assertThat(g.count()).isBetween(70, 90);
            Scenario.ScenarioMarket m = s.marketOf(g);
            // The oracle LTV at a price p is the starting LTV x start / p (debt and collateral unchanged).
            long crossed = 0;
            while (g.ltv()
                            .multiply(m.priceAt(0))
                            .divide(m.priceAt(crossed), 6, java.math.RoundingMode.HALF_UP)
                            .compareTo(g.policy().orElseThrow().trigger())
                    < 0) crossed++;
            first = Math.min(first, crossed);
            last = Math.max(last, crossed);
        }
        assertThat(last - first).isLessThan(3);
        assertThat(first).isGreaterThan(3);
    }

    private static final String AAVE_WETH = """
              - name: aave-weth
                protocol: aave-v3
                collateral: {symbol: WETH, decimals: 18}
                loan: {symbol: USDC, decimals: 6}
                lltv: 0.825
                price: 3000
                pools: [{dex: uniswap-v3, fee: 3000, depth: 1000000}]
            """;

    @Test
    void anAaveMarketSharesTheTopLevelPricesAndItsTokensAndOwnersGroupVaults() {
        Scenario s = ScenarioFixtures.parse("name: both\nprices: [{block: 0, price: 3000}, {block: 10, price: 2600}]\n"
                + "markets:\n" + WBTC + AAVE_WETH + "vaults:\n"
                + "  - {name: m, market: wbtc, owner: alice, collateral: 2, ltv: 0.70, keeper: true, " + POLICY + "}\n"
                + "  - {name: a, market: aave-weth, owner: alice, collateral: 2, ltv: 0.70, keeper: true, " + POLICY
                + "}\n"
                + "  - {name: twin, market: aave-weth, collateral: 2, ltv: 0.70}\n");
        Scenario.ScenarioMarket aave = s.markets().get(1);
        assertThat(aave.protocol().protocol()).isEqualTo(io.unwind.domain.position.LendingProtocol.AAVE_V3);
        assertThat(aave.protocol().maxBorrowLtv()).isEqualByComparingTo("0.8");
        assertThat(aave.protocol().liquidationBonus()).isEqualByComparingTo("0.05");
        // The WBTC market keeps its own path; the Aave market, which has none, plays the top-level one.
        assertThat(s.markets().get(0).priceAt(10)).isEqualByComparingTo("55000");
        assertThat(aave.priceAt(10)).isEqualByComparingTo("2600");
        assertThat(s.markets().get(0).protocol()).isEqualTo(Scenario.MarketProtocol.MORPHO);
        assertThat(s.vaults()).extracting(Scenario.VaultGroup::owner).containsExactly("alice", "alice", "owner");
        assertThat(s.owners()).containsExactly("alice", "owner");
        assertThat(SimulationRunner.ownerAccount("alice").getAddress())
                .isEqualTo(SimulationRunner.ownerAccount("alice").getAddress())
                .isNotEqualTo(SimulationRunner.ownerAccount("bob").getAddress())
                .isNotEqualTo(SimulationRunner.ownerAccount("owner").getAddress());
    }

    @Test
    void refusesWhatAaveOrASharedTokenCannotBe() {
        String v = "vaults: [{name: a, market: aave-weth, collateral: 1, ltv: 0.5}]";
        String prices = "prices: [{block: 0, price: 3000}]\n";
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n"
                        + AAVE_WETH.replace("protocol: aave-v3", "protocol: compound") + v))
                .hasMessage("markets[0].protocol: unknown protocol 'compound': use one of morpho-blue, aave-v3");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n"
                        + AAVE_WETH.replace("lltv: 0.825", "lltv: 0.825\n    maxBorrowLtv: 0.83") + v))
                .hasMessage(
                        "markets[0].maxBorrowLtv: must be above 0 and below the liquidation threshold (lltv 0.825)");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n"
                        + AAVE_WETH.replace("lltv: 0.825", "lltv: 0.95\n    liquidationBonus: 0.1") + v))
                .hasMessageStartingWith(
                        "markets[0].liquidationBonus: with lltv 0.95 must keep lltv x (1 + bonus) <= 1");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n"
                        + WETH.replace("lltv: 0.86", "lltv: 0.86\n    liquidationBonus: 0.1") + v))
                .hasMessage("markets[0].liquidationBonus: is an Aave V3 parameter: this market is morpho-blue");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n" + AAVE_WETH
                        + "vaults: [{name: a, market: aave-weth, collateral: 1, ltv: 0.81}]"))
                .hasMessage(
                        "vaults[0].ltv: Aave V3 lets an owner borrow up to the market's maxBorrowLtv 0.8, not 0.81");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n" + WETH
                        + AAVE_WETH.replace("symbol: USDC, decimals: 6", "symbol: USDC, decimals: 18") + v))
                .hasMessage("markets[1]: token USDC has 18 decimals here and 6 in market weth: markets that name one"
                        + " symbol share one token");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n" + AAVE_WETH
                        + AAVE_WETH
                                .replace("name: aave-weth", "name: aave-2")
                                .replace("symbol: USDC, decimals: 6", "symbol: DAI, decimals: 18")
                                .replace(
                                        "pools:", "prices: [{block: 0, price: 3000}, {block: 5, price: 1}]\n    pools:")
                        + v))
                .hasMessageStartingWith("markets[1].prices: Aave V3 prices each token once");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n" + WETH + AAVE_WETH + v))
                .hasMessage("markets[1].prices: markets weth and aave-weth trade one pair (WETH/USDC) in the same pools"
                        + " and must share its price path");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + prices + "markets:\n" + AAVE_WETH
                        + "vaults: [{name: a, market: aave-weth, owner: '', collateral: 1, ltv: 0.5}]"))
                .hasMessage("vaults[0].owner: must not be empty");
    }

    @Test
    void namesTheFieldOfEveryMistake() {
        String v = "vaults: [{name: a, collateral: 1, ltv: 0.5}]";
        String market = """
                market: {collateral: {symbol: WETH, decimals: 18}, loan: {symbol: USDC, decimals: 6}, lltv: 0.86,
                         price: 3000, pools: [{dex: uniswap-v3, fee: 3000, depth: 1000}]}
                prices: [{block: 0, price: 3000}]
                """;
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + market + "markets:\n" + WETH + v))
                .isInstanceOf(ConfigException.class)
                .hasMessage("markets: give market (one market) or markets (several), not both");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\n" + v))
                .hasMessage("market: is required (or markets, for several markets)");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\nmarkets:\n"
                        + WETH.replace("    prices: [{block: 0, price: 3000}, {block: 10, price: 2700}]\n", "") + v))
                .hasMessage(
                        "markets[0].prices: is required: this market has no prices and there is no top-level prices");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\nmarkets:\n" + WETH + WETH + v))
                .hasMessage("markets[1].name: 'weth' is used twice");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\nmarkets:\n" + WETH
                        + WBTC.replace("block: 0, price: 60000", "block: 0, price: 1") + v))
                .hasMessage("markets[1].prices[0].price: must equal markets[1].price (60000)");
        assertThatThrownBy(() -> ScenarioFixtures.parse(
                        "name: x\nmarkets:\n" + WETH + WBTC.replace("block: 20", "block: 0") + v))
                .hasMessage("markets[1].prices[1].block: blocks must increase along the path");
        assertThatThrownBy(() -> ScenarioFixtures.parse(
                        "name: x\nmarkets:\n" + WETH + WBTC.replace("lltv: 0.77", "lltv: 1.2") + v))
                .hasMessage("markets[1].lltv: must be below 1 (for example 0.86)");
        assertThatThrownBy(
                        () -> ScenarioFixtures.parse("name: x\nmarkets:\n" + WETH.replace("    prices:", "    p:") + v))
                .hasMessageStartingWith("markets[0].p: unknown setting");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\nmarkets: []\n" + v))
                .hasMessage("markets: at least one market is needed");
        assertThatThrownBy(() -> two("  - {name: a, collateral: 1, ltv: 0.5}"))
                .hasMessage("vaults[0].market: is required with several markets (one of weth, wbtc)");
        assertThatThrownBy(() -> two("  - {name: a, market: wsol, collateral: 1, ltv: 0.5}"))
                .hasMessage("vaults[0].market: no market named 'wsol' (markets: weth, wbtc)");
        // Each group is checked against its own market's LLTV.
        assertThatThrownBy(() -> two("  - {name: a, market: wbtc, collateral: 1, ltv: 0.8}"))
                .hasMessage("vaults[0].ltv: must be below the LLTV 0.77");
        assertThatThrownBy(() -> ScenarioFixtures.parse(
                        "name: x\n" + market + "vaults: [{name: a, market: weth, collateral: 1, ltv: 0.5}]"))
                .hasMessage("vaults[0].market: names one of the markets: list; with a single market: there is"
                        + " nothing to name");
        assertThatThrownBy(() -> ScenarioFixtures.parse("name: x\nmarkets:\n" + WETH + WBTC + "aggregators: [1inch]\n"
                        + "vaults: [{name: a, market: weth, collateral: 1, ltv: 0.5}]"))
                .hasMessage("aggregators: are emulated over one market: not available with several markets yet");
    }
}
