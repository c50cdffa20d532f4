package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * scenarios/stale-feed.yaml as a user plays it: the feed under the market's oracle stops updating at the bottom of a
 * dip while the pools recover. Once the feed is older than the guard's max age, no keeper action reaches the guarded
 * vault (the vault refuses it: the lens's price check says stale) and the keeper reports why it held, while the
 * unguarded vault goes on selling at the stale price; when the feed updates again the guard says fresh.
 */
@Tag("chain")
class StaleFeedScenarioTest {
    private static final Path FILE = Path.of(System.getProperty("unwind.contracts.dir", "contracts"))
            .toAbsolutePath()
            .getParent()
            .resolve("scenarios/stale-feed.yaml");

    @Test
    void theGuardedVaultIsNotSoldFromWhileTheFeedIsStale() {
        Scenario s = ScenarioLoader.load(FILE);
        assertThat(s.feedFrozenAt(5)).isTrue();
        assertThat(s.feedFrozenAt(13)).isFalse();
        List<String> events = new ArrayList<>();
        SimulationReport r = new SimulationRunner(
                        s, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {
                            @Override
                            public void event(long block, String text) {
                                events.add(block + " " + text);
                            }
                        })
                .run();
        SimulationReport.Vault guarded = CrashScenarioTest.vault(r, "guarded");
        SimulationReport.Vault unguarded = CrashScenarioTest.vault(r, "unguarded");

        // The feed's last update is at block 4; more than 30 s (three 12 s blocks) later, until it updates again at
        // block 13, the guarded vault refuses keepers: nothing is sold from it in blocks 7 to 12.
        assertThat(events).anyMatch(e -> e.startsWith("5 the price feed stops updating"));
        assertThat(events).anyMatch(e -> e.startsWith("7 guarded: price guard STALE"));
        assertThat(events).anyMatch(e -> e.startsWith("13 guarded: price guard fresh again"));
        assertThat(guarded.actions())
                .as("no keeper action on the guarded vault while its feed was stale: %s", events)
                .noneMatch(a -> a.block() >= 7 && a.block() <= 12);
        assertThat(unguarded.actions())
                .as("the unguarded vault is sold from at the stale price meanwhile: %s", events)
                .anyMatch(a -> a.block() >= 7 && a.block() <= 12);
        // Why the keeper held: "price stale" from a keeper that reads the guard, else its simulation's refusal.
        assertThat(guarded.holds()).as("%s", events).isNotEmpty();
        assertThat(guarded.holds().values().stream().mapToInt(Integer::intValue).sum())
                .isGreaterThanOrEqualTo(5);
        assertThat(unguarded.holds()).doesNotContainKey("price stale");
        assertThat(guarded.actions().size()).isLessThan(unguarded.actions().size());
        assertThat(guarded.liquidated()).isFalse();
        assertThat(unguarded.liquidated()).isFalse();
        // The report's oracle price stays flat while the feed is frozen, then follows the path again.
        assertThat(r.prices().get(12).price())
                .isEqualByComparingTo(r.prices().get(4).price());
        assertThat(r.prices().get(13).price()).isEqualByComparingTo(s.priceAt(13));
    }
}
