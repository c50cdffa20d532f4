package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scenarios/two-chains-crash.yaml}: markets on two chains, each its own local chain, played at once with one
 * keeper node per chain in this one process. Both protected vaults are saved, both bare twins liquidated, and every
 * vault is reported with its chain.
 */
@Tag("chain")
class TwoChainsScenarioTest {
    @TempDir
    Path dir;

    @Test
    void oneKeeperProcessSavesTheProtectedVaultOnEachChainWhileTheBareTwinsAreLiquidated() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/two-chains-crash.yaml"));
        assertThat(s.chains()).containsExactly("l1", "l2");
        SimulationReport r =
                new SimulationRunner(s, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {}).run();
        r.vaults()
                .forEach(v -> System.out.printf(
                        "%s on %s: liquidated %s, max LTV %s, final LTV %s, %d action(s)%n",
                        v.name(),
                        v.chain(),
                        v.liquidated(),
                        v.maxLtv(),
                        v.finalLtv(),
                        v.actions().size()));
        assertThat(r.error()).isNull();
        assertThat(r.vaults())
                .extracting(SimulationReport.Vault::name, SimulationReport.Vault::chain)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("protected-l1", "l1"),
                        org.assertj.core.groups.Tuple.tuple("bare-l1", "l1"),
                        org.assertj.core.groups.Tuple.tuple("protected-l2", "l2"),
                        org.assertj.core.groups.Tuple.tuple("bare-l2", "l2"));
        for (SimulationReport.Vault v : r.vaults()) {
            if (v.keeper()) {
                assertThat(v.liquidated()).as(v.name()).isFalse();
                assertThat(v.actions())
                        .as(v.name() + " deleveraged on its own chain")
                        .anySatisfy(a -> assertThat(a.reverted()).isFalse());
                assertThat(v.maxLtv()).as(v.name()).isLessThan(new java.math.BigDecimal("0.86"));
            } else {
                assertThat(v.liquidated()).as(v.name()).isTrue();
            }
        }
        assertThat(r.chains())
                .extracting(SimulationReport.ChainRun::name, SimulationReport.ChainRun::chainId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("l1", 31337L),
                        org.assertj.core.groups.Tuple.tuple("l2", 1337L));
        // The keeper's totals are the chains' added up.
        assertThat(r.keeper().protectedVaults()).isEqualTo(2);
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.keeper().unprotectedLiquidated()).isEqualTo(2);
        assertThat(r.keeper().actions())
                .isEqualTo(
                        r.chains().stream().mapToInt(c -> c.keeper().actions()).sum());
    }

    @Test
    void chainsAreNamedOnEveryMarketOrNoneAtMostTwoAndAnOwnersReserveIsOnOneChain() throws Exception {
        String base = Files.readString(Path.of("scenarios/two-chains-crash.yaml"));
        assertThatThrownBy(() -> load(base.replaceFirst("    chain: l2\n", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("markets[1].chain")
                .hasMessageContaining("name a chain on every market, or on none");
        assertThatThrownBy(() -> load(base.replace("chain: l2", "chain: L2!")))
                .hasMessageContaining("markets[1].chain");
        String third = base.replace("vaults:\n", """
                          - name: weth-l3
                            chain: l3
                            collateral: {symbol: WETH, decimals: 18}
                            loan: {symbol: USDC, decimals: 6}
                            lltv: 0.86
                            price: 3000
                            pools:
                              - {dex: uniswap-v3, fee: 3000, depth: 3000000}
                        vaults:
                        """);
        assertThatThrownBy(() -> load(third)).hasMessageContaining("a scenario plays at most 2");
        String acrossChains = base.replace(
                                "{name: protected-l1, market: weth-l1,",
                                "{name: protected-l1, market: weth-l1, owner: alice,")
                        .replace(
                                "{name: protected-l2, market: weth-l2,",
                                "{name: protected-l2, market: weth-l2, owner: alice,")
                + "owners:\n  alice: {reserve: 1000}\n";
        assertThatThrownBy(() -> load(acrossChains))
                .hasMessageContaining("owners.alice")
                .hasMessageContaining("has vaults on chains [l1, l2]");
    }

    private Scenario load(String yaml) throws Exception {
        return ScenarioLoader.load(Files.writeString(dir.resolve("s.yaml"), yaml));
    }
}
