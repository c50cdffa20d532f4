package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One owner's positions on two protocols, as shipped in {@code scenarios/portfolio-crash.yaml}, played against the real
 * keeper with the simulator's own settings: a Morpho Blue vault and an Aave V3 vault on the real Aave V3 pool (deployed
 * from Aave's npm artifacts), both protected by one keeper process, and a bare twin on each protocol.
 */
@Tag("chain")
class PortfolioScenarioTest {

    private static SimulationReport.Vault vault(SimulationReport r, String name) {
        return r.vaults().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void oneKeeperSavesAnOwnersMorphoAndAaveVaultsWhileBareTwinsOnBothAreLiquidated() {
        SimulationReport r = new SimulationRunner(
                        ScenarioLoader.load(Path.of("scenarios/portfolio-crash.yaml")),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();
        r.vaults()
                .forEach(v -> System.out.printf(
                        "%s (%s, %s): liquidated %s, max LTV %s, equity %s -> %s, %d action(s)%n",
                        v.name(),
                        v.protocol(),
                        v.owner(),
                        v.liquidated(),
                        v.maxLtv(),
                        v.equityStart(),
                        v.equityEnd(),
                        v.actions().size()));
        assertThat(r.error()).isNull();

        SimulationReport.Vault morpho = vault(r, "alice-morpho");
        SimulationReport.Vault aave = vault(r, "alice-aave");
        assertThat(morpho.protocol()).isEqualTo("morpho-blue");
        assertThat(aave.protocol()).isEqualTo("aave-v3");
        assertThat(aave.owner()).isEqualTo("alice");
        for (SimulationReport.Vault v : java.util.List.of(morpho, aave)) {
            assertThat(v.liquidated()).as(v.name()).isFalse();
            assertThat(v.actions()).as(v.name() + " was deleveraged").anySatisfy(a -> {
                assertThat(a.reverted()).isFalse();
                assertThat(a.kind()).isEqualTo("sell");
            });
            // Every sale brought the vault back under its trigger.
            assertThat(v.actions().stream().filter(a -> !a.reverted()))
                    .allSatisfy(a -> assertThat(a.ltvAfter()).isLessThan(a.ltvBefore()));
        }
        // The Aave vault stayed under Aave's liquidation threshold (82.5%) all along.
        assertThat(aave.maxLtv()).isLessThan(new BigDecimal("0.825"));
        assertThat(vault(r, "bare-morpho").liquidated()).isTrue();
        assertThat(vault(r, "bare-aave").liquidated()).isTrue();
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.keeper().unprotectedLiquidated()).isEqualTo(2);

        assertThat(r.markets()).extracting(SimulationReport.Market::protocol).containsExactly("morpho-blue", "aave-v3");
        SimulationReport.Portfolio alice = r.portfolios().get(0);
        assertThat(alice.owner()).isEqualTo("alice");
        assertThat(alice.quote()).isEqualTo("USDC");
        assertThat(alice.vaults()).containsExactly("alice-morpho", "alice-aave");
        assertThat(alice.liquidated()).isEmpty();
        assertThat(alice.equityEnd()).isEqualByComparingTo(morpho.equityEnd().add(aave.equityEnd()));
        SimulationReport.Portfolio bare = r.portfolios().get(1);
        assertThat(bare.liquidated()).containsExactly("bare-morpho", "bare-aave");
        // Protected, the owner keeps more than the twins' owner does.
        assertThat(alice.equityEnd()).isGreaterThan(bare.equityEnd());
    }
}
