package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("chain")
class ScenarioLoaderTest {

    @Test
    void readsTheShippedScenariosAndExpandsFleets() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/eth-crash.yaml"));
        assertThat(s.name()).isEqualTo("eth-crash");
        assertThat(s.vaults()).extracting(Scenario.VaultGroup::count).containsExactly(1, 1, 200);
        assertThat(s.priceAt(15)).isEqualByComparingTo("2700");
        assertThat(s.priceAt(45)).isEqualByComparingTo("2275");
        assertThat(s.priceAt(99)).isEqualByComparingTo("2150");
        assertThat(ScenarioLoader.builtIn("demo").vaults()).hasSize(2);
    }

    /**
     * The fleet scenarios take 150+ vaults across their trigger within three blocks of each other, on one market with
     * three pools: fleet-crash.yaml on a real crash's 120-block path, fleet-flash-crash.yaml within its first three
     * blocks.
     */
    @Test
    void theFleetScenariosCrossEveryTriggerWithinThreeBlocks() {
        for (String file : List.of("scenarios/fleet-crash.yaml", "scenarios/fleet-flash-crash.yaml")) {
            Scenario s = ScenarioLoader.load(Path.of(file));
            assertThat(s.vaults().stream().mapToInt(Scenario.VaultGroup::count).sum())
                    .isGreaterThanOrEqualTo(150);
            assertThat(s.market().pools()).hasSize(3);
            BigDecimal start = s.priceAt(0);
            java.util.List<Long> crossings = new java.util.ArrayList<>();
            for (Scenario.VaultGroup g : s.vaults()) {
                BigDecimal trigger = g.policy().orElseThrow().trigger();
                // The oracle LTV at a price p is the starting LTV x start / p (debt and collateral unchanged).
                long b = 0;
                while (b <= s.lastBlock()
                        && g.ltv()
                                        .multiply(start)
                                        .divide(s.priceAt(b), 6, java.math.RoundingMode.HALF_UP)
                                        .compareTo(trigger)
                                < 0) b++;
                assertThat(b).as(file + ": " + g.name() + " crosses").isLessThanOrEqualTo(s.lastBlock());
                if (g.count() > 1) crossings.add(b);
            }
            // The fleet (the groups of many vaults) crosses within three blocks.
            assertThat(java.util.Collections.max(crossings) - java.util.Collections.min(crossings))
                    .as(file)
                    .isLessThanOrEqualTo(3);
        }
    }

    @Test
    void namesTheFieldOfEveryMistake() {
        String base = """
                name: x
                market: {collateral: {symbol: WETH, decimals: 18}, loan: {symbol: USDC, decimals: 6}, lltv: 0.86, price: 3000,
                         pools: [{dex: uniswap-v3, fee: 3000, depth: 1000}]}
                prices: [{block: 0, price: 3000}]
                """;
        assertThatThrownBy(() -> ScenarioFixtures.parse(base + "vaults: [{name: a, collateral: 1, ltv: 0.9}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("vaults[0].ltv: must be below the LLTV 0.86");
        assertThatThrownBy(() ->
                        ScenarioFixtures.parse(base + "vaults: [{name: a, collateral: 1, ltv: 0.5, keeper: true}]"))
                .hasMessage("vaults[0].policy: a vault with keeper: true needs a policy");
        assertThatThrownBy(() ->
                        ScenarioFixtures.parse(base + "vaults: [{name: a, collateral: 1, ltv: 0.5, colateral: 2}]"))
                .hasMessageStartingWith("vaults[0].colateral: unknown setting");
        assertThatThrownBy(() -> ScenarioFixtures.parse(
                        base.replace("fee: 3000", "fee: 2500") + "vaults: [{name: a, collateral: 1, ltv: 0.5}]"))
                .hasMessageContaining("market.pools[0].fee");
        assertThatThrownBy(() -> ScenarioFixtures.parse(base + """
                vaults: [{name: a, collateral: 1, ltv: 0.5, keeper: true, policy: {trigger: 0.7, target: 0.75}}]"""))
                .hasMessage("vaults[0].policy.target: must be below the trigger 0.7");
    }

    @Test
    void readsAHedgeWithItsDefaultsAndNamesTheFieldOfEveryMistakeInIt() {
        String base = """
                name: x
                market: {collateral: {symbol: WETH, decimals: 18}, loan: {symbol: USDC, decimals: 6}, lltv: 0.86, price: 3000,
                         pools: [{dex: uniswap-v3, fee: 3000, depth: 1000}]}
                prices: [{block: 0, price: 3000}]
                """;
        String policy = "policy: {trigger: 0.8, target: 0.7, maxSlippageBps: 150, cooldown: 60s, hedge: {%s}}";
        Scenario s = ScenarioFixtures.parse(base + "vaults: [{name: a, collateral: 1, ltv: 0.5, keeper: true, "
                + policy.formatted("maxRatio: 0.5, trigger: 0.78, target: 0.6, margin: 5000") + "}]");
        Scenario.HedgeSpec h = s.vaults().get(0).policy().orElseThrow().hedge().orElseThrow();
        assertThat(h.maxRatio()).isEqualByComparingTo("0.5");
        assertThat(h.open()).as("half-way from target to trigger").isEqualByComparingTo("0.75");
        assertThat(h.margin()).isEqualByComparingTo("5000");
        assertThat(h.maxSlippageBps()).as("the policy's").isEqualTo(150);
        assertThat(h.cooldown()).as("the policy's").isEqualTo(java.time.Duration.ofSeconds(60));
        // A file without hedges loads as before: no hedge.
        assertThat(ScenarioLoader.load(Path.of("scenarios/volatile-drop.yaml"))
                        .vaults()
                        .get(0)
                        .policy()
                        .orElseThrow()
                        .hedge())
                .isEmpty();

        record Bad(String vault, String message) {}
        for (Bad bad : List.of(
                new Bad(
                        "keeper: true, " + policy.formatted("maxRatio: 1.5, trigger: 0.78, target: 0.6, margin: 1"),
                        "vaults[0].policy.hedge.maxRatio: is a share of the vault's collateral: at most 1"),
                new Bad(
                        "keeper: true, " + policy.formatted("maxRatio: 1, trigger: 0.9, target: 0.6, margin: 1"),
                        "vaults[0].policy.hedge.trigger: must be below the reverse market's LLTV 0.86 (the vault"
                                + " market's)"),
                new Bad(
                        "keeper: true, " + policy.formatted("maxRatio: 1, trigger: 0.7, target: 0.7, margin: 1"),
                        "vaults[0].policy.hedge.target: must be below the hedge's trigger 0.7"),
                new Bad(
                        "keeper: true, "
                                + policy.formatted("maxRatio: 1, trigger: 0.78, target: 0.6, open: 0.8, margin: 1"),
                        "vaults[0].policy.hedge.open: must be below the vault's trigger 0.8: a hedge is opened before"
                                + " the vault must act"),
                new Bad(
                        "keeper: true, " + policy.formatted("maxRatio: 1, trigger: 0.78, target: 0.6"),
                        "vaults[0].policy.hedge.margin: is required"),
                new Bad(
                        "keeper: false, " + policy.formatted("maxRatio: 1, trigger: 0.78, target: 0.6, margin: 1"),
                        "vaults[0].policy.hedge: a hedge is run by the keeper: set keeper: true, or remove this"))) {
            assertThatThrownBy(() -> ScenarioFixtures.parse(
                            base + "vaults: [{name: a, collateral: 1, ltv: 0.5, " + bad.vault() + "}]"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(bad.message());
        }
    }

    @Test
    void interpolatesPricesLinearly() {
        Scenario s = ScenarioFixtures.crash("- {dex: uniswap-v2, depth: 1000}", "- {name: a, collateral: 1, ltv: 0.5}");
        assertThat(s.priceAt(0)).isEqualByComparingTo(new BigDecimal("3000"));
        assertThat(s.priceAt(10)).isEqualByComparingTo(new BigDecimal("2800"));
        assertThat(s.lastBlock()).isEqualTo(60);
    }
}
