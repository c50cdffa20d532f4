package io.unwind.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.Scenario;
import io.unwind.app.sim.ScenarioLoader;
import io.unwind.app.sim.SimulationRunner;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketDeployment;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser while the demo's crash plays: the keeper's vault is in the table with its health
 * bar and protocol, its owner's book is in the Portfolios section, the chart has drawn the vault's LTV as a line of
 * many points with the trigger and LLTV, and the keeper's transactions are listed from the journal.
 */
@Tag("chain")
@Tag("browser")
class StatusPageInBrowserTest {
    private static final long LOOK_AT_BLOCK = 30; // after the keeper's sales (blocks 12 and 20 in the demo)

    @TempDir
    Path tmp;

    @Test
    void thePageShowsTheRunningKeepersVaultsChartAndTransactions() throws Exception {
        Chromium.binary(); // fail first, and clearly, when there is no browser
        Scenario demo = ScenarioLoader.builtIn("demo");
        List<String> watched = new ArrayList<>();
        List<String> dom = new ArrayList<>();
        List<Throwable> failure = new ArrayList<>();
        int[] port = {0};
        KeeperNode[] keeper = {null};
        List<io.unwind.engine.MarketMapView> maps = new ArrayList<>();
        SimulationRunner.Listener listener = new SimulationRunner.Listener() {
            @Override
            public void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {
                port[0] = node.http().orElseThrow().port();
                keeper[0] = node;
                names.forEach((a, n) -> {
                    if (n.equals("protected")) watched.add(a.hex());
                });
            }

            @Override
            public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
                if (block != LOOK_AT_BLOCK) return;
                try { // the simulation waits while the browser looks: the page is served by the keeper's own threads
                    // The page shows what the keeper's maps held when the browser looked (they refresh on a new head,
                    // and the simulation holds the chain still while it waits).
                    dom.add(Chromium.dumpDom("http://127.0.0.1:" + port[0] + "/", tmp.resolve("profile")));
                    maps.addAll(keeper[0].marketMaps().all());
                } catch (Exception | AssertionError e) {
                    failure.add(e);
                }
            }
        };
        new SimulationRunner(demo, new SimulationRunner.Options(Optional.of(0), Duration.ofSeconds(120)), listener)
                .run();
        if (!failure.isEmpty()) throw new AssertionError("the browser failed", failure.get(0));
        assertThat(dom).hasSize(1);
        String page = dom.get(0);

        // The vault table: the protected vault's row with its health bar.
        assertThat(watched).hasSize(1);
        assertThat(page)
                .contains(
                        "data-vault=\"" + watched.get(0) + "\"",
                        "WETH/USDC",
                        "class=\"bar\"",
                        "class=\"badge ok\">ready<");
        // Each vault's protocol, and the Portfolios section: one row per owner whose vault counts add up to the vault
        // table's rows, all on Morpho Blue, equity in USDC (the demo market's loan token) with the totals as its title,
        // and the vault closest to liquidation with its share of its LLTV.
        assertThat(page).contains("<td>morpho-blue</td>");
        long vaultRows =
                Pattern.compile("<tr data-vault=\"").matcher(page).results().count();
        Matcher book = Pattern.compile("<tr data-owner=\"(0x[0-9a-f]{40})\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        long counted = 0;
        List<String> books = new ArrayList<>();
        while (book.find()) {
            String row = book.group(2);
            books.add(row);
            Matcher n = Pattern.compile("<td class=\"num\">([0-9]+)</td>").matcher(row);
            assertThat(n.find()).as("the owner's vault count in " + row).isTrue();
            counted += Long.parseLong(n.group(1));
            assertThat(row)
                    .contains("<td>morpho-blue</td>")
                    .containsPattern(
                            "<div title=\"collateral [0-9,.]+ USDC, debt [0-9,.]+ USDC, reserves [0-9,.]+ USDC:"
                                    + " equity -?[0-9,.]+ USDC\">-?[0-9,.]+ USDC</div>");
        }
        assertThat(books).as("a Portfolios row per owner").isNotEmpty();
        assertThat(counted).as("every vault shown is in its owner's book").isEqualTo(vaultRows);
        assertThat(String.join("\n", books))
                .containsPattern(
                        "WETH/USDC on morpho-blue: </span><span class=\"of-lltv (ok|warn|bad)\">[0-9]+\\.[0-9]{2}%"
                                + " of LLTV</span>");
        // The chart: the LTV line through many blocks, with trigger, target and LLTV lines and the keeper's actions
        // marked.
        Matcher ltv = Pattern.compile("<path class=\"ltv\" d=\"([^\"]+)\"").matcher(page);
        assertThat(ltv.find()).as("an LTV path in the chart").isTrue();
        long points = ltv.group(1).chars().filter(c -> c == 'L').count();
        assertThat(points).as("the LTV line has a point per block seen").isGreaterThanOrEqualTo(20);
        assertThat(page)
                .contains(
                        "<path class=\"trigger\"",
                        "<path class=\"target\"",
                        "<path class=\"lltv\"",
                        "<circle class=\"action\"");
        assertThat(page).contains("LTV of " + watched.get(0).substring(0, 6));
        // The journal's transactions, mined.
        // States and kinds in words, not enum names.
        assertThat(page).containsPattern("class=\"state-(CONFIRMED|FINALIZED)\">(mined|final)<");
        assertThat(page).contains("<td>sale</td>").doesNotContain("DELEVERAGE").doesNotContain(">CONFIRMED<");
        // The liquidation map of the vault's market: one bar per price step, the cumulative line, the market's label.
        assertThat(maps).as("the keeper made a map of its vault's market").hasSize(1);
        var map = maps.get(0);
        assertThat(map.borrowers()).isPositive();
        Matcher g = Pattern.compile(
                        "<g class=\"liqmap\" data-market=\"" + map.marketId() + "\">(.*?)</g>", Pattern.DOTALL)
                .matcher(page);
        assertThat(g.find())
                .as("a liquidation map chart for market %s", map.marketId())
                .isTrue();
        long bars = Pattern.compile("<rect class=\"bucket\"")
                .matcher(g.group(1))
                .results()
                .count();
        assertThat(bars).isEqualTo(map.map().buckets().size()).isEqualTo(50); // 50% in 1% steps, the defaults
        assertThat(g.group(1)).contains("<path class=\"cumulative\"");
        assertThat(page).contains(map.label() + " at ", "WETH/USDC 86%");
        assertThat(page).contains(map.explanation());
        // The keeper's volatility for the market, from the crash's oracle prices (far above the 20% floor).
        Matcher vol = Pattern.compile("keeper's volatility: σ ([0-9]+)% a year").matcher(page);
        assertThat(vol.find()).as("the market's volatility on the page").isTrue();
        assertThat(Integer.parseInt(vol.group(1))).isGreaterThan(20);
    }
}
