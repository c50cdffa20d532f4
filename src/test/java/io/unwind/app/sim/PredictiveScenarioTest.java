package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soft-trigger scenarios as shipped, played against the real keeper with the simulator's own settings: a volatile
 * stretch before a gap through the liquidation price, with a crowd of unprotected borrowers under the price, where the
 * vault with a soft trigger deleverages early and survives while its trigger-only twin is liquidated; and a calm slide
 * past both vaults' triggers where the soft trigger sells no earlier and no more than the twin.
 */
@Tag("chain")
class PredictiveScenarioTest {

    private static SimulationReport play(String file) {
        return new SimulationRunner(
                        ScenarioLoader.load(Path.of(file)),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();
    }

    private static SimulationReport.Vault vault(SimulationReport r, String name) {
        return r.vaults().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static long sales(SimulationReport.Vault v) {
        return v.actions().stream().filter(a -> !a.reverted()).count();
    }

    private static void print(String name, SimulationReport r) {
        for (String v : new String[] {"predictive", "twin"}) {
            SimulationReport.Vault x = vault(r, v);
            System.out.printf(
                    "%s %s: liquidated %s, max LTV %s, equity %s -> %s, actions %s%n",
                    name,
                    v,
                    x.liquidated(),
                    x.maxLtv(),
                    x.equityStart(),
                    x.equityEnd(),
                    x.actions().stream()
                            .map(a -> a.block() + ":" + a.reason()
                                    + (a.probability() == null ? "" : String.format("(p=%.3f)", a.probability())))
                            .toList());
        }
    }

    @Test
    void beforeAGapThePredictiveVaultDeleveragesAndSurvivesWhereItsTwinIsLiquidated() {
        SimulationReport r = play("scenarios/volatile-drop.yaml");
        print("volatile-drop", r);
        assertThat(r.error()).isNull();
        SimulationReport.Vault predictive = vault(r, "predictive");
        SimulationReport.Vault twin = vault(r, "twin");

        assertThat(twin.liquidated()).as("the trigger-only twin").isTrue();
        assertThat(twin.actions())
                .as("the twin never reached its trigger before the gap")
                .isEmpty();
        assertThat(predictive.liquidated()).as("the vault with a soft trigger").isFalse();

        // It acted before the gap (block 31), on a prediction above its owner's 5%, from under its hard trigger.
        var early = predictive.actions().stream()
                .filter(a -> !a.reverted() && "predicted".equals(a.reason()))
                .toList();
        assertThat(early).isNotEmpty();
        assertThat(early.get(0).block()).isLessThan(31);
        assertThat(early.get(0).probability()).isGreaterThan(0.05).isLessThanOrEqualTo(1.0);
        assertThat(early.get(0).ltvBefore()).isLessThan(new java.math.BigDecimal("0.80"));
        // The vault's rule for an early action: it ends at the target or under it.
        assertThat(early.get(0).ltvAfter()).isLessThanOrEqualTo(new java.math.BigDecimal("0.70"));
        // Trigger actions say so, with no probability.
        assertThat(predictive.actions().stream().filter(a -> "trigger".equals(a.reason())))
                .allSatisfy(a -> assertThat(a.probability()).isNull());
        // The crowd under the price is liquidated by the gap: the cascade the keeper saw coming.
        assertThat(r.vaults().stream().filter(v -> v.name().startsWith("crowd-") && v.liquidated()))
                .hasSizeGreaterThan(50);
    }

    @Test
    void onACalmMarketTheSoftTriggerSellsNoEarlierAndNoMoreThanTheTwin() {
        SimulationReport r = play("scenarios/calm-soft-trigger.yaml");
        print("calm-soft-trigger", r);
        assertThat(r.error()).isNull();
        SimulationReport.Vault predictive = vault(r, "predictive");
        SimulationReport.Vault twin = vault(r, "twin");

        assertThat(predictive.liquidated()).isFalse();
        assertThat(twin.liquidated()).isFalse();
        // No false alarm: every action of the predictive vault is a trigger action, as many as the twin's.
        assertThat(predictive.actions()).allSatisfy(a -> assertThat(a.reason()).isEqualTo("trigger"));
        assertThat(sales(twin))
                .as("the slide takes the twin across its trigger")
                .isPositive();
        assertThat(sales(predictive)).isLessThanOrEqualTo(sales(twin));
        assertThat(predictive.triggerCrossedAtBlock()).isNotNull();
        assertThat(predictive.actions().get(0).block()).isGreaterThanOrEqualTo(predictive.triggerCrossedAtBlock());
    }
}
