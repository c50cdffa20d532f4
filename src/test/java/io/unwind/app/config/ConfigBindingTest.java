package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.time.DurationText;
import io.unwind.route.aggregator.Vendor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records bind the file: each default and bound written once on its setting, every mistake named by its path and
 * its line, what to do said.
 */
@Tag("pure")
class ConfigBindingTest {
    private static final String BASE = MinimalConfig.YAML;

    @TempDir
    Path dir;

    @Test
    void aFileWithoutOptionalSectionsGetsEveryDefault() throws IOException {
        UnwindConfig c = load(BASE);
        assertThat(c.strategy()).isEqualTo(UnwindConfig.Strategy.defaults());
        assertThat(c.strategy().keeperFeeBps()).isEqualTo(10);
        assertThat(c.strategy().txDeadline()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.strategy().chunking()).isTrue();
        assertThat(c.strategy().protectAtOwnCost()).isEmpty();
        assertThat(c.chain().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.chain().endpoints().getFirst().name()).isEqualTo("127.0.0.1");
        assertThat(c.chain().privateRelay()).isEmpty();
        assertThat(c.routing().uniswapV3FeeTiers()).containsExactly(500, 3000, 10000);
        assertThat(c.gas().normalCapGwei()).isEqualByComparingTo(new BigDecimal("50"));
        assertThat(c.gas().nativePrices()).isEmpty();
        assertThat(c.journal().url()).isEqualTo("jdbc:h2:file:" + dir.resolve("data/journal") + ";AUTO_SERVER=TRUE");
        assertThat(c.keeper().keystore()).contains(dir.resolve("key.json"));
        assertThat(c.scheduler().intervalFallback()).isEqualTo(Duration.ofSeconds(12));
        assertThat(c.http().port()).isEqualTo(9464);
        assertThat(c.cluster().enabled()).isFalse();
        assertThat(c.aggregators()).isEmpty();
        assertThat(c.market().map()).isEqualTo(UnwindConfig.MarketMap.DEFAULTS);
        assertThat(c.market().map().depthLevelsBps()).containsExactly(500, 1000, 2000);
    }

    @Test
    void theLiquidationMapSettingsAreBoundAndChecked() throws IOException {
        var m = load(BASE + "market:\n  map:\n    stepPercent: 0.5\n    rangePercent: 25\n"
                        + "    depthLevelsPercent: [2.5, 10]\n    logBlockRange: 2000\n    startBlock: 1200\n")
                .market()
                .map();
        assertThat(m.stepBps()).isEqualTo(50);
        assertThat(m.rangeBps()).isEqualTo(2500);
        assertThat(m.depthLevelsBps()).containsExactly(250, 1000);
        assertThat(m.logBlockRange()).isEqualTo(2000);
        assertThat(m.startBlock()).isEqualTo(1200);
        assertThat(m.depthRefreshBlocks()).isEqualTo(10);
        assertThatThrownBy(() -> load(BASE + "market: {map: {stepPercent: 3, rangePercent: 50}}\n"))
                .hasMessageStartingWith("market.map.rangePercent: must be a whole number of steps (3%), not 50%");
        assertThatThrownBy(() -> load(BASE + "market: {map: {stepPercent: 0.005}}\n"))
                .hasMessageStartingWith("market.map.stepPercent: is a percentage to two decimals at most");
        assertThatThrownBy(() -> load(BASE + "market: {map: {depthLevelsPercent: [5, 0]}}\n"))
                .hasMessageStartingWith("market.map.depthLevelsPercent[1]: must be > 0");
        assertThatThrownBy(() -> load(BASE + "market: {map: {logBlockRange: 0}}\n"))
                .hasMessageStartingWith("market.map.logBlockRange: must be between 1 and 10000000, not 0");
    }

    @Test
    void aMistakeNamesItsFieldItsLineAndWhatToDo() {
        assertThatThrownBy(() -> load(BASE + "strategy:\n  keeperFeeBps: 900\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.keeperFeeBps: must be between 0 and 500, not 900 (unwind.yaml, line 6)");
        assertThatThrownBy(() -> load(BASE + "strategy:\n  keeperFeeBps: ten\n"))
                .hasMessage("strategy.keeperFeeBps: must be a whole number, not 'ten' (unwind.yaml, line 6)");
        assertThatThrownBy(() -> load(BASE + "strategy:\n  keeperFeeBps: 1.5\n"))
                .hasMessageStartingWith("strategy.keeperFeeBps: must be a whole number, not '1.5'");
        assertThatThrownBy(() -> load(BASE + "strategy:\n  keeperFee: 5\n"))
                .hasMessageStartingWith("strategy.keeperFee: unknown setting (known here: keeperFeeBps, ")
                .hasMessageEndingWith("(unwind.yaml, line 6)");
        assertThatThrownBy(() -> load(BASE + "http: {enabled: yes please}\n"))
                .hasMessageStartingWith("http.enabled: must be true or false, not 'yes please'");
        assertThatThrownBy(() -> load(BASE + "strategy: 5\n")).hasMessageStartingWith("strategy: must be a mapping");
        assertThatThrownBy(() -> load(BASE + "gas: {normalCapGwei: 0}\n"))
                .hasMessageStartingWith("gas.normalCapGwei: must be > 0");
        assertThatThrownBy(() -> load(BASE + "gas: {normalCapGwei: 60, emergencyCapGwei: 55}\n"))
                .hasMessageStartingWith("gas.emergencyCapGwei: must be at least gas.normalCapGwei (60)");
        assertThatThrownBy(() -> load(BASE + "routing: {uniswapV3FeeTiers: [500, 0]}\n"))
                .hasMessageStartingWith("routing.uniswapV3FeeTiers[1]: must be between 1 and 1000000, not 0");
        assertThatThrownBy(() -> load(BASE.replace("key.json, passwordEnv: KEY_PW", "key.json")))
                .hasMessageStartingWith("keeper.passwordFile: the keystore's password must come from passwordFile or");
        assertThatThrownBy(() -> load(BASE.replace("\"0x0000000000000000000000000000000000000003\"", "\"0x12\"")))
                .hasMessageStartingWith("vaults[0]: ")
                .hasMessageEndingWith("(unwind.yaml, line 3)");
        assertThatThrownBy(() -> load(BASE + "keeper: {devAccount: 3}\n")).hasMessageContaining("keeper");
        assertThatThrownBy(() -> load(BASE.replace("http://127.0.0.1:8545", "ftp://x")))
                .hasMessage("chain.endpoints[0].url: must be a http or https URL, not 'ftp://x' (unwind.yaml, line 1)");
        assertThatThrownBy(() -> load(BASE.replace("chain: {id: 1, ", "chain: {")))
                .hasMessageStartingWith("chain.id: is required");
        assertThatThrownBy(
                        () -> load(BASE.replace("lens: \"0x0000000000000000000000000000000000000002\"", "lens: null")))
                .hasMessageStartingWith("contracts.lens: the VaultLens address is required");
    }

    @Test
    void theMarketListTakesMorphoMarketIdsAndIsEmptyByDefault() throws IOException {
        assertThat(load(BASE).markets()).isEmpty();
        String id = "0x" + "ab".repeat(32);
        assertThat(load(BASE + "markets: [\"" + id + "\"]\n").markets()).containsExactly(id);
        assertThatThrownBy(() -> load(BASE + "markets: [\"0x1234\"]\n"))
                .hasMessageStartingWith("markets[0]: a Morpho market id is 0x and 64 hex digits, not '0x1234'");
    }

    @Test
    void aSectionsBoundsComeBeforeChecksThatReadIt() {
        String local = BASE.replace("keeper: {keystore: key.json, passwordEnv: KEY_PW}", "keeper: {devAccount: 3}");
        assertThatThrownBy(() -> load(local.replace("id: 1,", "id: -5,")))
                .hasMessageStartingWith("chain.id: must be at least 1, not -5 (unwind.yaml, line 1)");
        assertThatThrownBy(() -> load(local))
                .hasMessageStartingWith("keeper.devAccount: development accounts are public keys");
    }

    @Test
    void durationsAreWrittenAsOnTheCommandLine() throws IOException {
        UnwindConfig c = load(BASE + "scheduler: {intervalFallback: 90}\n");
        assertThat(c.scheduler().intervalFallback()).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> load(BASE + "scheduler: {intervalFallback: soon}\n"))
                .hasMessageStartingWith("scheduler.intervalFallback: must be a duration like 500ms, 90s, 10m, 2h or 1d")
                .hasMessageContaining("not 'soon'");
    }

    @Test
    void aggregatorsMayBeBareNamesAndTheirKeysComeFromTheEnvironment() throws IOException {
        Files.writeString(
                dir.resolve("unwind.yaml"), BASE + "aggregators: [odos, {name: 1inch, apiKeyEnv: ONEINCH_KEY}]\n");
        UnwindConfig c = ConfigLoader.load(dir.resolve("unwind.yaml"), Map.of("ONEINCH_KEY", "secret"));
        assertThat(c.aggregators())
                .extracting(UnwindConfig.Aggregator::vendor)
                .containsExactly(Vendor.ODOS, Vendor.ONE_INCH);
        assertThat(c.aggregators().get(0).baseUrl()).isEqualTo(Vendor.ODOS.defaultBaseUrl());
        assertThat(c.aggregators().get(0).timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.aggregators().get(1).apiKey()).isPresent();
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("unwind.yaml"), Map.of()))
                .hasMessageStartingWith("aggregators[1].apiKeyEnv: the environment variable ONEINCH_KEY is not set");
        assertThatThrownBy(() -> load(BASE + "aggregators: [sushi]\n"))
                .hasMessageStartingWith("aggregators[0].name: unknown aggregator 'sushi'");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: 1inch}]\n"))
                .hasMessageStartingWith("aggregators[0].apiKeyEnv: 1inch needs an API key");
        assertThatThrownBy(() -> load(BASE + "aggregators: [odos, odos]\n"))
                .hasMessageStartingWith("aggregators[1].name: 'odos' is listed twice");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: odos, apiKey: x}]\n"))
                .hasMessageStartingWith("aggregators[0].apiKey: unknown setting");
    }

    @Test
    void unsetAddressesComeFromTheDeploymentFile() throws IOException {
        Files.writeString(dir.resolve("deployment.json"), """
                {"morpho": "0x00000000000000000000000000000000000000a1",
                        "vaultLens": "0x00000000000000000000000000000000000000a2",
                 "vaultFactory": "0x00000000000000000000000000000000000000a3"}
                """);
        UnwindConfig c = load(BASE.replace(
                "contracts: {morpho: \"0x0000000000000000000000000000000000000001\", ",
                "contracts: {deployment: deployment.json, morpho: \"0x0000000000000000000000000000000000000001\", "));
        assertThat(c.contracts().morpho().hex()).isEqualTo("0x0000000000000000000000000000000000000001");
        assertThat(c.contracts().factory())
                .hasValueSatisfying(f -> assertThat(f.hex()).endsWith("a3"));
        assertThat(c.contracts().deployment()).contains(dir.resolve("deployment.json"));
    }

    @Test
    void theSectionsAreTheRecordsComponents() {
        assertThat(ConfigLoader.SECTIONS)
                .isEqualTo(List.of(
                        "chain",
                        "contracts",
                        "vaults",
                        "markets",
                        "keeper",
                        "strategy",
                        "routing",
                        "gas",
                        "journal",
                        "scheduler",
                        "http",
                        "aggregators",
                        "cluster",
                        "market",
                        "hedges"));
    }

    private UnwindConfig load(String yaml) throws IOException {
        return MinimalConfig.load(dir, yaml, Map.of());
    }
}
