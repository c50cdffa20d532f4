package io.unwind.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.NodeTicks;
import io.unwind.testing.ScrapedAlerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A running keeper watches four vaults in known states after ETH falls from 3,000 to 2,750 USDC: one healthy, one over
 * its trigger that the keeper deleverages, one over its trigger that does not allow this keeper, and one with no policy
 * that does not allow it either; plus an address that is not a vault. The gauges it exports must say exactly that, and
 * the alert rules, fed the scraped series, must fire for what an operator must hear (a vault over its trigger nobody
 * acts on, an unreadable vault, and their owner's book: the four share one owner, whose closest vault, the one that
 * does not allow this keeper, is at 0.818 / 0.86 = 95.1% of its LLTV) and for nothing else.
 */
@Tag("chain")
class FourVaultsAlertsTest {
    private static final int KEEPER = 3;

    @Test
    void theGaugesCountTheVaultsAsTheyAreAndTheAlertsFireOnlyForWhatNeedsAPerson() throws Exception {
        String scrape;
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc())) {
            Address keeper = LocalChain.devSigner(KEEPER, f.chain.chainId()).address();
            var policy = MarketFixture.policy(8000, 7000);
            Address healthy = f.vaults.open(
                    VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.50")
                            .withPolicy(policy)
                            .withKeeper(keeper),
                    f.price());
            Address acted = f.vaults.open(
                    VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.75")
                            .withPolicy(policy)
                            .withKeeper(keeper),
                    f.price());
            Address notAllowed = f.vaults.open(
                    VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.75").withPolicy(policy), f.price());
            Address bare = f.vaults.open(VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.75"), f.price());
            Address notAVault = Address.of(MarketFixture.STRANGER.getAddress());
            var config = LocalKeeperConfig.of(
                    f.chain,
                    f.market,
                    List.of(healthy, acted, notAllowed, bare, notAVault),
                    KEEPER,
                    "jdbc:h2:mem:unwind-four-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    Optional.of(0));

            f.movePrice("2750"); // 75% -> 81.8%: over the 80% trigger; 50% -> 54.5%: healthy
            try (KeeperNode node = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                var first = NodeTicks.await(node, f.chain.blockNumber());
                assertThat(first.outcomes())
                        .filteredOn(o -> o.vault().equals(acted))
                        .singleElement()
                        .satisfies(o -> assertThat(o.kind()).as(o.detail()).isEqualTo(VaultOutcome.Kind.SUBMITTED));
                f.chain.mine(1);
                NodeTicks.await(node, f.chain.blockNumber());
                f.chain.mine(1);
                var last = NodeTicks.await(node, f.chain.blockNumber());
                assertThat(last.outcomes())
                        .filteredOn(o -> o.vault().equals(notAllowed))
                        .singleElement()
                        .satisfies(o -> assertThat(o.detail()).startsWith("keeper not allowed"));
                scrape = get("http://127.0.0.1:" + node.http().orElseThrow().port() + "/metrics");
            }
            assertThat(f.health(acted).overTrigger()).isFalse();
            assertThat(f.health(notAllowed).overTrigger()).isTrue();
        }

        // Over the trigger: only the vault nobody may act on (the acted-on one is back under it; the healthy one, and
        // the one with no policy, never were). Unreadable: the address that is not a vault.
        assertThat(value(scrape, "unwind_vaults_over_trigger")).isEqualTo(1.0);
        assertThat(value(scrape, "unwind_vaults_unreadable")).isEqualTo(1.0);
        assertThat(value(scrape, "unwind_vaults_watched")).isEqualTo(5.0);
        assertThat(value(scrape, "unwind_attention_total{reason=\"keeper not allowed\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(value(scrape, "unwind_actions_submitted_total{kind=\"sell\"}"))
                .isEqualTo(1.0);

        // The same series, held for 15 minutes (counters rise from 0 to their scraped value in the first minute), into
        // the alert rules' unit-test runner. At minute 12: the expected alerts fire, and no other.
        ScrapedAlerts.Result r = ScrapedAlerts.test(ScrapedAlerts.inputSeries(scrape, "keeper:9464"), """
                      - expr: count by (alertname, reason) (ALERTS{alertstate="firing"})
                        eval_time: 12m
                        exp_samples:
                          - labels: '{alertname="UnwindVaultOverTriggerNoActionLanded"}'
                            value: 1
                          - labels: '{alertname="UnwindVaultsUnreadable"}'
                            value: 1
                          - labels: '{alertname="UnwindKeeperNeedsAttention", reason="keeper not allowed"}'
                            value: 1
                          - labels: '{alertname="UnwindOwnerNearLiquidation"}'
                            value: 1
                """);
        assertThat(r.exit()).as(r.output()).isZero();
    }

    private static double value(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in the scrape:\n" + scrape));
    }

    private static String get(String url) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }
}
