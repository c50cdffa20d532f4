package io.unwind.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.metrics.ClusterMetrics;
import io.unwind.app.metrics.JournalMetrics;
import io.unwind.app.metrics.KeeperMetrics;
import io.unwind.tx.TxMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in ops/ hold together: the alert rules and scrape config pass promtool (and the rules their unit tests),
 * the dashboard is valid JSON whose queries are valid PromQL, and every metric the dashboard and the alerts use is one
 * a running keeper really exports.
 */
@Tag("chain")
class OpsFilesTest {
    private static final Pattern METRIC =
            Pattern.compile("\\b(unwind_[a-z0-9_]+|resilience4j_[a-z0-9_]+|up)\\b(?!\\s*[=!]~?\")");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    @Test
    void alertRulesAndScrapeConfigPassPromtoolAndTheRulesTheirUnitTests() throws Exception {
        Path promtool = Tools.promtool();
        Path dir = Tools.ops().resolve("prometheus");
        Tools.Result rules = Tools.run(dir, promtool.toString(), "check", "rules", "alerts.yml");
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 17 rules found");
        Tools.Result config = Tools.run(dir, promtool.toString(), "check", "config", "prometheus.yml");
        assertThat(config.exit()).as(config.output()).isZero();
        Tools.Result tests = Tools.run(dir, promtool.toString(), "test", "rules", "alerts.test.yml");
        assertThat(tests.exit()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void theDashboardLoadsAndEveryQueryIsValidPromQL() throws Exception {
        JsonNode dash = dashboard();
        assertThat(dash.get("uid").asText()).isEqualTo("unwind-keeper");
        List<String> exprs = dashboardQueries(dash);
        assertThat(exprs).hasSizeGreaterThan(20);
        // promtool has no query checker; recording rules are parsed with the same PromQL parser.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String e = exprs.get(i).replace("$instance", ".*").replace("$vault", ".*");
            rules.append("      - record: dashboard_query_")
                    .append(i)
                    .append("\n        expr: ")
                    .append(JSON.writeValueAsString(e))
                    .append('\n');
        }
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Tools.Result r = Tools.run(tmp, Tools.promtool().toString(), "check", "rules", file.toString());
        assertThat(r.exit()).as(r.output() + "\n" + rules).isZero();
        // Every panel reads the data source that provisioning creates.
        String uid = YAML.readTree(Tools.ops()
                        .resolve("grafana/provisioning/datasources/prometheus.yml")
                        .toFile())
                .get("datasources")
                .get(0)
                .get("uid")
                .asText();
        for (JsonNode p : dash.get("panels")) {
            if (!p.get("type").asText().equals("row"))
                assertThat(p.get("datasource").get("uid").asText())
                        .as(p.get("title").asText())
                        .isEqualTo(uid);
        }
    }

    @Test
    void everyMetricOfTheKeeperSaysWhatItMeasures() {
        // "# HELP name text": a metric registered without a description has an empty text after its name.
        List<String> helps = RunningKeeperMetrics.scrape()
                .lines()
                .filter(l -> l.startsWith("# HELP "))
                .toList();
        assertThat(helps)
                .as("the routes and tick outcomes the demo exercises")
                .anyMatch(l -> l.startsWith("# HELP unwind_tick_outcomes_total "))
                .anyMatch(l -> l.startsWith("# HELP unwind_routes_tried_total "))
                .anyMatch(l -> l.startsWith("# HELP unwind_routes_chosen_total "));
        assertThat(helps).as("metrics without a description").allSatisfy(l -> {
            String[] parts = l.split(" ", 4);
            assertThat(parts.length == 4 && !parts[3].isBlank()).as(l).isTrue();
        });
    }

    @Test
    void theDashboardAndTheAlertsUseOnlyMetricsAKeeperExports() throws Exception {
        Set<String> exported = RunningKeeperMetrics.names();
        assertThat(exported).contains("unwind_vault_ltv", "unwind_keeper_balance_wei", "unwind_tx_confirmed_total");

        Set<String> dashboardNames = new TreeSet<>();
        for (String e : dashboardQueries(dashboard())) dashboardNames.addAll(metrics(e));
        assertThat(dashboardNames).hasSizeGreaterThan(15);
        // A single keeper exports no cluster metrics: those the dashboard's cluster row queries must be declared.
        Set<String> exportedOrCluster = new TreeSet<>(exported);
        exportedOrCluster.addAll(constants(ClusterMetrics.class));
        assertThat(exportedOrCluster)
                .as("metrics the dashboard queries but a running keeper does not export")
                .containsAll(dashboardNames);

        // Some alert series exist only after a rare event (a fee bump, an attention flag): those must be names the code
        // declares. "up" is Prometheus's own.
        Set<String> declared = new TreeSet<>(constants(KeeperMetrics.class));
        declared.addAll(constants(ClusterMetrics.class)); // a cluster node's; a single keeper exports none of them
        declared.addAll(constants(JournalMetrics.class));
        for (String dotted : constants(TxMetrics.class)) {
            declared.add(dotted.replace('.', '_'));
            declared.add(dotted.replace('.', '_') + "_total");
        }
        Set<String> alertNames = new TreeSet<>();
        JsonNode groups = YAML.readTree(
                        Tools.ops().resolve("prometheus/alerts.yml").toFile())
                .get("groups");
        for (JsonNode g : groups)
            for (JsonNode r : g.get("rules"))
                alertNames.addAll(metrics(r.get("expr").asText()));
        assertThat(alertNames)
                .contains(
                        "unwind_vault_liquidation_distance",
                        "unwind_keeper_balance_wei",
                        "unwind_head_age_seconds",
                        "resilience4j_circuitbreaker_state",
                        "unwind_tx_state",
                        "unwind_vaults_over_trigger",
                        "unwind_journal_available",
                        "unwind_cluster_partitions_unticked",
                        "unwind_cluster_nodes_live");
        for (String n : alertNames) {
            assertThat(exported.contains(n) || declared.contains(n) || n.equals("up"))
                    .as(
                            "alert metric %s is neither exported by a running keeper nor declared in KeeperMetrics/TxMetrics",
                            n)
                    .isTrue();
        }
    }

    @Test
    void composeMountsFilesThatExistAndItsKeeperConfigLoads() throws Exception {
        Path ops = Tools.ops();
        JsonNode compose = YAML.readTree(ops.resolve("compose.yaml").toFile());
        assertThat(compose.get("services").fieldNames())
                .toIterable()
                .contains("keeper", "postgres", "prometheus", "grafana");
        assertThat(ops.resolve("../"
                                + compose.get("services")
                                        .get("keeper")
                                        .get("build")
                                        .get("dockerfile")
                                        .asText())
                        .normalize())
                .exists();
        for (JsonNode service : compose.get("services")) {
            for (JsonNode v : service.path("volumes")) {
                String host = v.asText().split(":")[0];
                if (host.startsWith("./"))
                    assertThat(ops.resolve(host).normalize()).as(v.asText()).exists();
            }
        }
        var cfg = ConfigLoader.load(
                ops.resolve("compose/unwind.yaml"),
                Map.of(
                        "UNWIND_CHAIN_ENDPOINTS_0_URL",
                        "https://rpc.example",
                        "UNWIND_CONTRACTS_LENS",
                        "0x1111111111111111111111111111111111111111"));
        assertThat(cfg.journal().url()).startsWith("jdbc:postgresql://postgres:");
        assertThat(cfg.chain().endpoints().get(0).url().getHost()).isEqualTo("rpc.example");
        assertThat(cfg.contracts().lens().hex()).isEqualTo("0x1111111111111111111111111111111111111111");
        assertThat(cfg.http().host()).isEqualTo("0.0.0.0");
    }

    private static JsonNode dashboard() throws Exception {
        return JSON.readTree(
                Tools.ops().resolve("grafana/dashboards/unwind.json").toFile());
    }

    private static List<String> dashboardQueries(JsonNode dash) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dash.get("panels"))
            for (JsonNode t : p.path("targets")) out.add(t.get("expr").asText());
        for (JsonNode v : dash.get("templating").get("list"))
            out.add(v.get("query").asText().replaceAll("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
        return out;
    }

    static Set<String> metrics(String expr) {
        Set<String> out = new LinkedHashSet<>();
        // Label matchers are not metrics: drop everything between braces first.
        Matcher m = METRIC.matcher(expr.replaceAll("\\{[^}]*}", "{}"));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static Set<String> constants(Class<?> c) throws IllegalAccessException {
        Set<String> out = new TreeSet<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) out.add((String) f.get(null));
        }
        return out;
    }
}
