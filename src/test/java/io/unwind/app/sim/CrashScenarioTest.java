package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The keeper against a crash played block by block on a real local market, with each on-chain source alone: the
 * protected vault is deleveraged in time and survives, the unprotected one is liquidated.
 */
@Tag("chain")
class CrashScenarioTest {

    @Test
    void savesTheVaultThroughUniswapV3Alone() {
        SimulationReport r = run(ScenarioFixtures.crash(
                "- {dex: uniswap-v3, fee: 3000, depth: 2000000}", ScenarioFixtures.PROTECTED_AND_BARE));
        assertProtectedSavedAndBareLiquidated(r);
        assertThat(vault(r, "protected").actions())
                .allSatisfy(a -> assertThat(a.route()).isEqualTo("uniswap-v3-3000"));
    }

    @Test
    void savesTheVaultThroughUniswapV2Alone() {
        SimulationReport r =
                run(ScenarioFixtures.crash("- {dex: uniswap-v2, depth: 3000000}", ScenarioFixtures.PROTECTED_AND_BARE));
        assertProtectedSavedAndBareLiquidated(r);
        assertThat(vault(r, "protected").actions())
                .allSatisfy(a -> assertThat(a.route()).isEqualTo("uniswap-v2"));
    }

    @Test
    void topsUpFromTheReserveWhenItCoversTheNeed() {
        SimulationReport r = crashWithReserve(20000);
        var v = vault(r, "reserved");
        assertThat(v.liquidated()).isFalse();
        assertThat(v.actions()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo("topup");
            assertThat(a.collateralSold()).isEqualTo("0");
            assertThat(new BigDecimal(a.debtRepaid())).isPositive();
            assertThat(a.ltvAfter()).isLessThan(a.ltvBefore());
        });
        assertThat(vault(r, "bare").liquidated()).isTrue();
    }

    /**
     * Reading far-from-trigger vaults only every 10 blocks loses nothing: the crash moves the oracle price every block,
     * and a vault whose LTV at the new price nears its trigger is read in the same tick. The same crash with every
     * vault read every block is the yardstick: the same vaults saved, as quickly.
     */
    @Test
    void farVaultsReadEveryTenBlocksOnlyAreSavedAsWhenEveryVaultIsReadEveryBlock() {
        Scenario crash = ScenarioFixtures.crash(
                "- {dex: uniswap-v3, fee: 3000, depth: 2000000}", ScenarioFixtures.PROTECTED_AND_BARE + """
                - {name: fleet, count: 12, collateral: 1, ltv: 0.60, keeper: true,
                   policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 100}}
                """);
        SimulationReport every = run(crash);
        SimulationReport sparse = run(crash.withFullScanEvery(10));
        for (SimulationReport r : List.of(every, sparse)) {
            var fleet = r.vaults().stream()
                    .filter(v -> v.name().startsWith("fleet-"))
                    .toList();
            // The fleet starts 20% of LTV below its trigger and crosses it late in the crash (at 2,250).
            assertThat(fleet).hasSize(12).allSatisfy(v -> {
                assertThat(v.liquidated()).isFalse();
                assertThat(v.maxLtv()).isLessThan(new BigDecimal("0.86"));
                assertThat(v.actions()).isNotEmpty();
            });
            assertThat(r.keeper().protectedLiquidated()).isZero();
            assertThat(vault(r, "bare").liquidated()).isTrue();
        }
        // Both runs cross the triggers at the same blocks (the price path is the scenario's); when the keeper acts also
        // depends on how fast each tick runs on this machine, so the sparse run may differ by a block, not more.
        for (var v : every.vaults()) {
            assertThat(vault(sparse, v.name()).triggerCrossedAtBlock())
                    .as(v.name())
                    .isEqualTo(v.triggerCrossedAtBlock());
        }
        assertThat(sparse.keeper().reactionBlocks().max())
                .isLessThanOrEqualTo(every.keeper().reactionBlocks().max() + 1);
    }

    private static void assertProtectedSavedAndBareLiquidated(SimulationReport r) {
        var p = vault(r, "protected");
        assertThat(p.liquidated()).as("protected vault liquidated").isFalse();
        assertThat(p.maxLtv()).isLessThan(new BigDecimal("0.86"));
        assertThat(p.actions()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo("sell");
            assertThat(a.ltvAfter()).isLessThan(a.ltvBefore());
            assertThat(a.ltvAfter()).isGreaterThanOrEqualTo(new BigDecimal("0.65")); // never below target - band
            assertThat(a.gasUsed()).isBetween(150_000L, 400_000L);
        });
        assertThat(p.triggerCrossedAtBlock()).isNotNull();
        assertThat(r.keeper().reactionBlocks().max()).isNotNull().isLessThanOrEqualTo(2L);
        assertThat(vault(r, "bare").liquidated())
                .as("unprotected vault liquidated")
                .isTrue();
        assertThat(r.keeper().protectedLiquidated()).isZero();
    }

    /**
     * A reserve of 1,000 USDC, a third of what the first crossing needs: it is spent first (a top-up, no swap), and
     * sales follow once the vault is over its trigger again; the reserve is never kept while collateral is sold on a
     * vault that could wait a block.
     */
    @Test
    void aReserveShortOfTheNeedIsSpentBeforeTheFirstSale() {
        SimulationReport r = crashWithReserve(1000);
        var v = vault(r, "reserved");
        assertThat(v.liquidated()).isFalse();
        assertThat(v.actions()).hasSizeGreaterThanOrEqualTo(2);
        SimulationReport.Action first = v.actions().get(0);
        assertThat(first.kind()).isEqualTo("topup");
        assertThat(first.collateralSold()).isEqualTo("0");
        // All of it, less the keeper's fee (at most 0.5%).
        assertThat(new BigDecimal(first.debtRepaid()).movePointLeft(6))
                .isBetween(new BigDecimal("995"), new BigDecimal("1000"));
        assertThat(v.actions().subList(1, v.actions().size()))
                .allSatisfy(a -> assertThat(a.kind()).isEqualTo("sell"));
    }

    /** The crash through one deep V3 pool, with a protected vault named "reserved" that holds a reserve of USDC. */
    private static SimulationReport crashWithReserve(int usdc) {
        return run(ScenarioFixtures.crash("- {dex: uniswap-v3, fee: 3000, depth: 2000000}", """
                - {name: reserved, collateral: 10, ltv: 0.75, reserve: %d, keeper: true,
                   policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 100}}
                - {name: bare, collateral: 10, ltv: 0.75, keeper: false}
                """.formatted(usdc)));
    }

    static SimulationReport run(Scenario s) {
        return new SimulationRunner(s, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {}).run();
    }

    static SimulationReport.Vault vault(SimulationReport r, String name) {
        return r.vaults().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
