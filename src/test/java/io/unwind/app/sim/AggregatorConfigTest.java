package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.local.aggregator.Misbehaviour;
import io.unwind.route.aggregator.Vendor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code aggregators} config section and the scenario fields: defaults, keys from the environment, named mistakes.
 */
@Tag("chain")
class AggregatorConfigTest {
    private static final String BASE = """
            chain: {id: 1, endpoints: [{url: "http://127.0.0.1:8545"}]}
            contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
            vaults: ["0x0000000000000000000000000000000000000003"]
            keeper: {keystore: key.json, passwordEnv: UNWIND_TEST_PW}
            """;

    @TempDir
    Path dir;

    @Test
    void readsAggregatorsWithDefaultsAndTakesKeysFromTheNamedVariable() throws IOException {
        UnwindConfig c = load(BASE + """
                strategy: {chunking: false}
                aggregators:
                  - {name: 1inch, apiKeyEnv: ONEINCH_KEY, timeout: 800ms, requestsPerSecond: 2.5, retries: 0}
                  - paraswap
                  - {name: kyberswap}
                """, Map.of("ONEINCH_KEY", "sk-live-4711"));
        assertThat(c.aggregators())
                .extracting(UnwindConfig.Aggregator::vendor)
                .containsExactly(Vendor.ONE_INCH, Vendor.PARASWAP, Vendor.KYBERSWAP);
        var oneInch = c.aggregators().get(0);
        assertThat(oneInch.apiKey())
                .get()
                .satisfies(k -> assertThat(k.matches("sk-live-4711")).isTrue());
        assertThat(oneInch.timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(oneInch.requestsPerSecond()).isEqualTo(2.5);
        assertThat(oneInch.retries()).isZero();
        var para = c.aggregators().get(1);
        assertThat(para.baseUrl()).isEqualTo(Vendor.PARASWAP.defaultBaseUrl());
        assertThat(para.apiKey()).isEmpty();
        assertThat(para.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(para.requestsPerSecond()).isEqualTo(1.0);
        assertThat(para.retries()).isEqualTo(1);
        assertThat(c.strategy().chunking()).isFalse();
        assertThat(c.toString()).doesNotContain("sk-live-4711");
        assertThat(load(BASE, Map.of()).strategy().chunking()).isTrue();
        assertThat(load(BASE, Map.of()).aggregators()).isEmpty();
    }

    @Test
    void namesTheFieldOfEveryAggregatorMistake() {
        assertThatThrownBy(() -> load(BASE + "aggregators: [1inch]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("aggregators[0].apiKeyEnv: 1inch needs an API key: name the environment variable"
                        + " that holds it (unwind.yaml, line 5)");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: 0x, apiKeyEnv: ZEROX_KEY}]", Map.of()))
                .hasMessage("aggregators[0].apiKeyEnv: the environment variable ZEROX_KEY is not set"
                        + " (unwind.yaml, line 5)");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: 0x, apiKeyEnv: \"0x-live-secret\"}]", Map.of()))
                .hasMessageStartingWith("aggregators[0].apiKeyEnv: must be the NAME of an environment variable")
                .hasMessageNotContaining("0x-live-secret");
        assertThatThrownBy(() -> load(BASE + "aggregators: [paraswap, uniswapx]", Map.of()))
                .hasMessage("aggregators[1].name: unknown aggregator 'uniswapx'"
                        + " (known: 1inch, 0x, paraswap, odos, kyberswap) (unwind.yaml, line 5)");
        assertThatThrownBy(() -> load(BASE + "aggregators: [odos, odos]", Map.of()))
                .hasMessage("aggregators[1].name: 'odos' is listed twice" + " (unwind.yaml, line 5)");
        assertThatThrownBy(() -> load(BASE.replace("id: 1,", "id: 999,") + "aggregators: [kyberswap]", Map.of()))
                .hasMessageStartingWith("aggregators[0].chainSlug: KyberSwap does not know chain 999");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: odos, timout: 1s}]", Map.of()))
                .hasMessageStartingWith("aggregators[0].timout: unknown setting");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: odos, baseUrl: \"ftp://x\"}]", Map.of()))
                .hasMessageStartingWith("aggregators[0].baseUrl: must be a http or https URL");
        assertThatThrownBy(() -> load(BASE + "aggregators: [{name: odos, retries: 9}]", Map.of()))
                .hasMessage("aggregators[0].retries: must be between 0 and 3, not 9" + " (unwind.yaml, line 5)");
    }

    @Test
    void scenariosListAggregatorsAndTheirFaults() {
        Scenario s =
                ScenarioFixtures.parse(AggregatorCrashTest.crash("""
                aggregators: [1inch, odos]
                aggregatorFaults: {odos: html-error}
                onChainRoutes: false
                chunking: false
                """, "- {dex: uniswap-v3, fee: 3000, depth: 1000}"));
        assertThat(s.aggregators()).containsExactly(Vendor.ONE_INCH, Vendor.ODOS);
        assertThat(s.aggregatorFaults()).containsExactly(Map.entry(Vendor.ODOS, Misbehaviour.HTML_ERROR));
        assertThat(s.onChainRoutes()).isFalse();
        assertThat(s.chunking()).isFalse();
        Scenario plain =
                ScenarioFixtures.parse(AggregatorCrashTest.crash("", "- {dex: uniswap-v3, fee: 3000, depth: 1000}"));
        assertThat(plain.aggregators()).isEmpty();
        assertThat(plain.onChainRoutes()).isTrue();
        assertThat(plain.chunking()).isTrue();

        assertThatThrownBy(() -> scenario("aggregators: [1inch, sushi]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("aggregators[1]: unknown aggregator 'sushi' (known: 1inch, 0x, paraswap, odos, kyberswap)");
        assertThatThrownBy(() -> scenario("aggregators: [1inch]\naggregatorFaults: {odos: slow}\n"))
                .hasMessage("aggregatorFaults.odos: 'odos' is not in aggregators");
        assertThatThrownBy(() -> scenario("aggregators: [1inch]\naggregatorFaults: {1inch: sulky}\n"))
                .hasMessageStartingWith(
                        "aggregatorFaults.1inch: unknown fault 'sulky' (known: honest, slow, server-error");
        assertThatThrownBy(() -> scenario("onChainRoutes: false\n"))
                .hasMessage("onChainRoutes: with onChainRoutes: false the keeper needs aggregators to sell through");
    }

    private static Scenario scenario(String extra) {
        return ScenarioFixtures.parse(AggregatorCrashTest.crash(extra, "- {dex: uniswap-v3, fee: 3000, depth: 1000}"));
    }

    private UnwindConfig load(String yaml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("unwind.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, env);
    }
}
