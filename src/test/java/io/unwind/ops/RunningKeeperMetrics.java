package io.unwind.ops;

import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.Scenario;
import io.unwind.app.sim.ScenarioLoader;
import io.unwind.app.sim.SimulationRunner;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketDeployment;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a keeper really exports: /metrics scraped from a running node at the end of the demo's crash (so the series that
 * only appear once the keeper acted, such as transactions sent and confirmed, are there), run once per JVM.
 */
final class RunningKeeperMetrics {
    private static String scrape;

    private RunningKeeperMetrics() {}

    static synchronized String scrape() {
        if (scrape != null) return scrape;
        Scenario demo = ScenarioLoader.builtIn("demo");
        int[] port = {0};
        String[] got = {null};
        SimulationRunner.Listener listener = new SimulationRunner.Listener() {
            @Override
            public void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {
                port[0] = node.http().orElseThrow().port();
            }

            @Override
            public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
                if (block == 45) got[0] = get("http://127.0.0.1:" + port[0] + "/metrics");
            }
        };
        new SimulationRunner(demo, new SimulationRunner.Options(Optional.of(0), Duration.ofSeconds(120)), listener)
                .run();
        if (got[0] == null) throw new AssertionError("the simulation ended before /metrics was scraped");
        scrape = got[0];
        return scrape;
    }

    /** Every sample's metric name in the scrape (histogram and summary series included: _count, _sum, _max...). */
    static Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (String line : scrape().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int end = 0;
            while (end < line.length()
                    && (Character.isLetterOrDigit(line.charAt(end))
                            || line.charAt(end) == '_'
                            || line.charAt(end) == ':')) end++;
            out.add(line.substring(0, end));
        }
        return out;
    }

    private static String get(String url) {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError(url + " answered " + r.statusCode());
            return r.body();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot scrape " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
