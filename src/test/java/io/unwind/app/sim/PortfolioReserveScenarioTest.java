package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An owner's resources used before a sale, as shipped in {@code scenarios/portfolio-reserve-crash.yaml}, played against
 * the real keeper with the simulator's own settings on a real Morpho Blue and a real Aave V3 pool: alice's two WETH
 * vaults (one per protocol) cross their triggers together; her third vault gives collateral (a move, across protocols)
 * and her shared reserve pays top-ups; bob's same vaults without either are sold for; bare twins are liquidated.
 */
@Tag("chain")
class PortfolioReserveScenarioTest {

    private static SimulationReport.Vault vault(SimulationReport r, String name) {
        return r.vaults().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void movesAndSharedTopUpsSaveAnOwnersVaultsWithoutASaleWhileBareTwinsOnBothProtocolsAreLiquidated() {
        SimulationReport r = new SimulationRunner(
                        ScenarioLoader.load(Path.of("scenarios/portfolio-reserve-crash.yaml")),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();
        r.vaults().forEach(v -> {
            System.out.printf(
                    "%s (%s, %s): liquidated %s, max LTV %s, equity %s -> %s%n",
                    v.name(), v.protocol(), v.owner(), v.liquidated(), v.maxLtv(), v.equityStart(), v.equityEnd());
            v.actions()
                    .forEach(a -> System.out.printf(
                            "  block %d: %s%s, LTV %s -> %s, gas %d%n",
                            a.block(),
                            a.kind(),
                            a.from() == null ? "" : " from " + a.from(),
                            a.ltvBefore(),
                            a.ltvAfter(),
                            a.gasUsed()));
        });
        assertThat(r.error()).isNull();
        assertThat(r.keeper().reverted())
                .as("keeper transactions that reverted")
                .isZero();

        SimulationReport.Vault morpho = vault(r, "alice-morpho");
        SimulationReport.Vault aave = vault(r, "alice-aave");
        SimulationReport.Vault spare = vault(r, "alice-spare");
        List<SimulationReport.Action> alices = Stream.concat(morpho.actions().stream(), aave.actions().stream())
                .toList();
        for (SimulationReport.Vault v : List.of(morpho, aave, spare)) {
            assertThat(v.liquidated()).as(v.name()).isFalse();
        }
        // Not one sale for alice: every action was a move from her spare vault or a top-up from her shared reserve.
        assertThat(alices).isNotEmpty().allSatisfy(a -> {
            assertThat(a.reverted()).isFalse();
            assertThat(a.kind()).isIn("move", "topup");
            assertThat(a.collateralSold()).isEqualTo("0");
            assertThat(a.ltvAfter()).isLessThan(a.ltvBefore());
        });
        List<SimulationReport.Action> moves =
                alices.stream().filter(a -> a.kind().equals("move")).toList();
        List<SimulationReport.Action> topUps =
                alices.stream().filter(a -> a.kind().equals("topup")).toList();
        assertThat(moves).as("moves").isNotEmpty().allSatisfy(a -> {
            assertThat(a.from()).isEqualTo("alice-spare");
            assertThat(new BigInteger(a.collateralMoved())).isPositive();
            assertThat(a.route()).isEqualTo("move");
        });
        assertThat(topUps).as("top-ups").isNotEmpty();
        // Both protocols received a move: the collateral crossed from the Aave vault into the Morpho one too.
        assertThat(morpho.actions()).anySatisfy(a -> assertThat(a.kind()).isEqualTo("move"));
        assertThat(aave.actions()).anySatisfy(a -> assertThat(a.kind()).isEqualTo("move"));
        // The vault alice's collateral came from acted on nothing itself and never came near its own target (60%).
        assertThat(spare.actions()).isEmpty();
        assertThat(spare.maxLtv()).isLessThan(new BigDecimal("0.60"));
        // The same vaults without an owner's resources: sold for.
        for (String name : List.of("bob-morpho", "bob-aave")) {
            SimulationReport.Vault v = vault(r, name);
            assertThat(v.liquidated()).as(name).isFalse();
            assertThat(v.actions())
                    .as(name)
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a.kind()).isEqualTo("sell"));
        }
        assertThat(vault(r, "bare-morpho").liquidated()).isTrue();
        assertThat(vault(r, "bare-aave").liquidated()).isTrue();
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.keeper().unprotectedLiquidated()).isEqualTo(2);

        SimulationReport.Portfolio alice = r.portfolios().stream()
                .filter(p -> p.owner().equals("alice"))
                .findFirst()
                .orElseThrow();
        assertThat(alice.liquidated()).isEmpty();
        assertThat(alice.sharedReserve()).isNotNull();
        assertThat(alice.sharedReserveStart()).isEqualByComparingTo("30000");
        // What the reserve paid out is at least what the top-ups repaid (their fees come on top).
        BigDecimal repaid = topUps.stream()
                .map(a -> new BigDecimal(new BigInteger(a.debtRepaid()), 6))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(alice.sharedReserveStart().subtract(alice.sharedReserveEnd()))
                .isGreaterThanOrEqualTo(repaid)
                .isLessThan(repaid.multiply(new BigDecimal("1.01")));
        // The portfolio's equity counts the reserve: its vaults' equity plus what is left in it.
        BigDecimal vaults = morpho.equityEnd().add(aave.equityEnd()).add(spare.equityEnd());
        assertThat(alice.equityEnd()).isEqualByComparingTo(vaults.add(alice.sharedReserveEnd()));
        assertThat(r.portfolios().stream()
                        .filter(p -> p.owner().equals("bob"))
                        .findFirst()
                        .orElseThrow()
                        .sharedReserve())
                .isNull();
    }
}
