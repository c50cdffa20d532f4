package io.unwind.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops files for a cluster hold together: the three nodes of ops/compose.cluster.yaml each have their own node id,
 * port and key but the same configuration, partitions and journal, and Prometheus scrapes each of them; the systemd
 * template unit passes systemd-analyze and gives each instance its own id, key, config and environment file; and the
 * runbook and docs/CLUSTER.md link what exists.
 */
@Tag("pure")
class ClusterOpsFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The jar run by hand: {@code java -jar /opt/unwind/unwind.jar COMMAND...}. */
    private static final Pattern JAR = Pattern.compile("-jar \\S*unwind\\.jar ");
    /** What ops/.env gives the compose files in the header's steps. */
    private static final Map<String, String> DOT_ENV = Map.of(
            "UNWIND_CHAIN_ENDPOINTS_0_URL", "https://rpc.example",
            "UNWIND_CONTRACTS_LENS", "0x1111111111111111111111111111111111111111");

    @TempDir
    Path tmp;

    /** The keeper services of the cluster compose file, by name. */
    private static Map<String, JsonNode> keepers(JsonNode compose) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        compose.get("services").properties().forEach(e -> {
            if (e.getValue().path("environment").has("UNWIND_CLUSTER_NODEID")) out.put(e.getKey(), e.getValue());
        });
        return out;
    }

    @Test
    void composeRunsThreeNodesWithTheirOwnIdPortAndKeyOnOneConfigAndDatabase() throws Exception {
        Path ops = Tools.ops();
        JsonNode compose = YAML.readTree(ops.resolve("compose.cluster.yaml").toFile());
        Map<String, JsonNode> keepers = keepers(compose);
        assertThat(keepers).hasSize(3);

        Set<String> ids = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        Set<String> keystoreFiles = new HashSet<>();
        Set<String> passwordFiles = new HashSet<>();
        Set<String> configs = new HashSet<>();
        Set<Integer> partitions = new HashSet<>();
        Set<String> journals = new HashSet<>();
        Map<String, Integer> portOf = new HashMap<>();
        JsonNode secrets = compose.get("secrets");
        for (var e : keepers.entrySet()) {
            String service = e.getKey();
            JsonNode s = e.getValue();
            JsonNode env = s.get("environment");
            String id = env.get("UNWIND_CLUSTER_NODEID").asText();
            int port = env.get("UNWIND_HTTP_PORT").asInt();
            assertThat(id).as("the node id is the service's name").isEqualTo(service);
            assertThat(ids.add(id)).as("node id %s once", id).isTrue();
            assertThat(ports.add(port)).as("port %d once", port).isTrue();
            portOf.put(service, port);
            assertThat(s.get("ports"))
                    .extracting(JsonNode::asText)
                    .as(service + " publishes its own port on 127.0.0.1 only")
                    .containsExactly("127.0.0.1:" + port + ":" + port);
            assertThat(s.get("depends_on").get("postgres").get("condition").asText())
                    .isEqualTo("service_healthy");
            // Its own key, mounted where the shared config looks for it.
            Map<String, String> mounted = new HashMap<>();
            for (JsonNode secret : s.get("secrets")) {
                if (secret.isObject())
                    mounted.put(
                            secret.get("target").asText(), secret.get("source").asText());
            }
            assertThat(mounted).containsOnlyKeys("keeper_keystore", "keeper_password");
            assertThat(keystoreFiles.add(secrets.get(mounted.get("keeper_keystore"))
                            .get("file")
                            .asText()))
                    .as(service + "'s keystore is its own")
                    .isTrue();
            assertThat(passwordFiles.add(secrets.get(mounted.get("keeper_password"))
                            .get("file")
                            .asText()))
                    .as(service + "'s password is its own")
                    .isTrue();
            assertThat(s.get("secrets")).extracting(JsonNode::asText).contains("journal_password");
            String config = s.get("volumes").get(0).asText().split(":")[0];
            configs.add(config);
            assertThat(s.get("environment").get("UNWIND_CONFIG").asText())
                    .isEqualTo(s.get("volumes").get(0).asText().split(":")[1]);

            // The config as this service loads it.
            Map<String, String> environment = new HashMap<>(DOT_ENV);
            env.properties()
                    .forEach(v -> environment.put(v.getKey(), v.getValue().asText()));
            UnwindConfig c = ConfigLoader.load(ops.resolve(config), environment);
            assertThat(c.cluster().enabled()).isTrue();
            assertThat(c.cluster().nodeId()).isEqualTo(id);
            assertThat(c.http().port()).isEqualTo(port);
            assertThat(c.http().host()).isEqualTo("0.0.0.0");
            assertThat(c.keeper().keystore()).contains(Path.of("/run/secrets/keeper_keystore"));
            assertThat(c.journal().passwordEnv()).contains("JOURNAL_PASSWORD");
            assertThat(s.get("entrypoint").get(2).asText()).contains("JOURNAL_PASSWORD=");
            partitions.add(c.cluster().partitions());
            journals.add(c.journal().url());
        }
        assertThat(configs).as("one configuration for every node").hasSize(1);
        assertThat(partitions).as("the same partitions on every node").hasSize(1);
        assertThat(journals)
                .as("one journal, the compose file's PostgreSQL")
                .containsExactly("jdbc:postgresql://postgres:5432/unwind");

        JsonNode pg = compose.get("services").get("postgres");
        assertThat(pg.get("healthcheck").get("test").toString()).contains("pg_isready");
        assertThat(pg.get("volumes").get(0).asText()).startsWith("journal:/var/lib/postgresql/data");
        assertThat(compose.get("volumes").has("journal")).isTrue();

        // Every host file a service mounts or a secret names is in the repository, or made by the header's steps.
        for (JsonNode service : compose.get("services")) {
            for (JsonNode v : service.path("volumes")) {
                String host = v.asText().split(":")[0];
                if (host.startsWith("./"))
                    assertThat(ops.resolve(host).normalize()).as(v.asText()).exists();
            }
        }
        String header = Files.readString(ops.resolve("compose.cluster.yaml"));
        for (JsonNode secret : secrets) {
            String file = secret.get("file").asText().replace("./secrets/", "secrets/");
            String made = file.replaceAll("keeper-[abc]\\.", "keeper-\\$n.");
            assertThat(header).as("the header makes " + file).contains(made);
        }

        // Prometheus scrapes each node at its own port, with the keeper's alert rules.
        JsonNode prometheus = compose.get("services").get("prometheus");
        assertThat(prometheus.get("volumes"))
                .extracting(JsonNode::asText)
                .contains(
                        "./compose/prometheus-cluster.yml:/etc/prometheus/prometheus.yml:ro",
                        "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        JsonNode scrape =
                YAML.readTree(ops.resolve("compose/prometheus-cluster.yml").toFile());
        List<String> targets = new ArrayList<>();
        for (JsonNode job : scrape.get("scrape_configs"))
            for (JsonNode sc : job.get("static_configs")) for (JsonNode t : sc.get("targets")) targets.add(t.asText());
        assertThat(targets)
                .containsExactlyInAnyOrderElementsOf(portOf.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue())
                        .toList());
    }

    /** Each node's key is made by the header's steps, one per node, and allowed on the vaults. */
    @Test
    void theComposeHeaderMakesEveryNodesKeystore() throws Exception {
        String header = Files.readString(Tools.ops().resolve("compose.cluster.yaml"));
        assertThat(header)
                .contains("for n in a b c; do")
                .contains("keystore new --dir secrets/keeper-$n --password-file secrets/keeper-$n.pass")
                .contains("mv secrets/keeper-$n/UTC--* secrets/keeper-$n.json")
                .contains("unwind keeper add");
    }

    @Test
    void theClusterScrapeConfigPassesPromtoolWithTheAlertRules() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        // As in the container: the scrape config and alerts.yml side by side.
        Files.copy(Tools.ops().resolve("compose/prometheus-cluster.yml"), dir.resolve("prometheus.yml"));
        Files.copy(Tools.ops().resolve("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
        Tools.Result r = Tools.run(dir, Tools.promtool().toString(), "check", "config", "prometheus.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void theTemplateUnitGivesEachInstanceItsOwnIdKeyConfigAndEnvironment() throws Exception {
        String unit = Files.readString(Tools.ops().resolve("systemd/unwind@.service"));
        assertThat(unit)
                .contains("Environment=UNWIND_CONFIG=/etc/unwind/%i.yaml")
                .contains("Environment=UNWIND_CLUSTER_NODEID=%i")
                .contains("Environment=UNWIND_KEEPER_KEYSTORE=%d/keeper.json")
                .contains("Environment=UNWIND_KEEPER_PASSWORDFILE=%d/keeper.pass")
                .contains("EnvironmentFile=/etc/unwind/%i.env")
                .contains("LoadCredential=keeper.json:/etc/unwind/%i/keeper.json")
                .contains("LoadCredential=keeper.pass:/etc/unwind/%i/keeper.pass")
                .contains("StateDirectory=unwind/%i")
                .contains("ExecStartPre=/usr/bin/java -jar /opt/unwind/unwind.jar config check");
        // The header's per-node config, with what the unit sets for instance keeper-b, loads as node keeper-b.
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#   ((?:keeper|journal|http|cluster): +\\{.*)$")
                .matcher(unit);
        while (m.find()) lines.add(m.group(1).replaceAll("\\s+#.*$", ""));
        assertThat(lines).hasSize(4);
        String yaml = """
                chain: {id: 1, endpoints: [{url: "https://rpc.example"}]}
                contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
                vaults: ["0x0000000000000000000000000000000000000003"]
                """ + String.join("\n", lines).replace("keeper-a", "keeper-b") + "\n";
        Path config = Files.writeString(tmp.resolve("keeper-b.yaml"), yaml);
        UnwindConfig c = ConfigLoader.load(
                config,
                Map.of(
                        "UNWIND_CLUSTER_ENABLED", "true",
                        "UNWIND_CLUSTER_NODEID", "keeper-b",
                        "UNWIND_KEEPER_KEYSTORE", "/run/credentials/unwind@keeper-b.service/keeper.json",
                        "UNWIND_KEEPER_PASSWORDFILE", "/run/credentials/unwind@keeper-b.service/keeper.pass"));
        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().nodeId()).isEqualTo("keeper-b");
        assertThat(c.keeper().keystore()).contains(Path.of("/run/credentials/unwind@keeper-b.service/keeper.json"));
        assertThat(c.journal().url()).startsWith("jdbc:postgresql:");
        assertThat(c.journal().passwordEnv()).contains("JOURNAL_PASSWORD");
    }

    @Test
    void theTemplateUnitPassesSystemdAnalyze() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // An instance of the template, as systemctl would load unwind@keeper-a.
        Path instance = tmp.resolve("unwind@keeper-a.service");
        Files.copy(Tools.ops().resolve("systemd/unwind@.service"), instance);
        Tools.Result r = Tools.run(tmp, analyze.toString(), "verify", "--man=no", instance.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).as("systemd-analyze's warnings").isBlank();
        Tools.Result single = Tools.run(
                tmp,
                analyze.toString(),
                "verify",
                "--man=no",
                Tools.ops().resolve("systemd/unwind.service").toString());
        assertThat(single.exit()).as(single.output()).isZero();
        assertThat(single.output()).as("systemd-analyze's warnings").isBlank();
    }

    @Test
    void dockerComposeAcceptsTheClusterFileWhereItIsInstalled() throws Exception {
        Tools.Result version;
        try {
            version = Tools.run(tmp, "docker", "compose", "version");
        } catch (java.io.IOException e) {
            version = new Tools.Result(127, e.getMessage());
        }
        Assumptions.assumeTrue(version.exit() == 0, "docker compose is not installed");
        Path ops = Tools.ops();
        Tools.Result r =
                Tools.run(ops, "docker", "compose", "-f", "compose.cluster.yaml", "config", "--no-interpolate", "-q");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    /**
     * Every {@code unwind ...} command the cluster docs and the ops files' headers give an operator names a command
     * that exists, with options it has.
     */
    @Test
    void everyCommandTheClusterDocsGiveExistsWithItsOptions() throws Exception {
        Path repo = Tools.repo();
        List<String> commands = new ArrayList<>();
        Pattern span = Pattern.compile("`(unwind [^`]+)`");
        for (String doc : List.of(
                "docs/CLUSTER.md", "ops/RUNBOOK.md", "ops/systemd/unwind@.service", "ops/compose.cluster.yaml")) {
            String text = Files.readString(repo.resolve(doc));
            Matcher m = span.matcher(text);
            while (m.find()) commands.add(m.group(1));
            for (String l : text.lines().toList()) {
                String t = l.replaceFirst("^#?\\s*", "");
                Matcher jar = JAR.matcher(t);
                if (jar.find()) commands.add("unwind " + t.substring(jar.end()));
                else if (t.startsWith("unwind ") || t.startsWith("../unwind "))
                    commands.add(t.replaceFirst("^\\.\\./", ""));
            }
        }
        assertThat(commands).hasSizeGreaterThan(20);
        picocli.CommandLine root = new picocli.CommandLine(new io.unwind.app.Main());
        for (String c : commands) {
            picocli.CommandLine cmd = root;
            for (String token : c.replaceAll("[`'\"]", " ").trim().split("\\s+")) {
                if (token.equals("unwind")) continue;
                if (token.startsWith("--")) {
                    String option = token.split("=")[0];
                    assertThat(cmd.getCommandSpec().findOption(option))
                            .as("`" + c + "`: " + cmd.getCommandName() + " has " + option)
                            .isNotNull();
                } else if (cmd.getSubcommands().containsKey(token)) {
                    cmd = cmd.getSubcommands().get(token);
                } else if (cmd == root && token.matches("[a-z][a-z0-9-]*")) {
                    throw new AssertionError("`" + c + "`: no command " + token);
                }
            }
        }
    }

    @Test
    void theRunbookAndClusterDocLinkFilesThatExistAndAgree() throws Exception {
        Path repo = Tools.repo();
        String runbook = Files.readString(repo.resolve("ops/RUNBOOK.md"));
        String cluster = Files.readString(repo.resolve("docs/CLUSTER.md"));
        String readme = Files.readString(repo.resolve("ops/README.md"));
        assertThat(runbook)
                .contains("## Cluster operations")
                .contains("### Adding a node")
                .contains("### Removing a node")
                .contains("### Replacing a node")
                .contains("### Rolling upgrade")
                .contains("## Journal database outage")
                .contains("ops/compose.cluster.yaml")
                .contains("ops/systemd/unwind@.service");
        assertThat(cluster)
                .contains("ops/systemd/unwind@.service")
                .contains("ops/compose.cluster.yaml")
                .contains("../ops/RUNBOOK.md#cluster-operations");
        assertThat(readme).contains("systemd/unwind@.service").contains("compose.cluster.yaml");
        // No development key in the production walk-through: anvil's accounts are public.
        assertThat(cluster.substring(0, cluster.indexOf("## The test that proves it")))
                .doesNotContainIgnoringCase("90f79bf6")
                .doesNotContainIgnoringCase("devAccount");
        // Relative links resolve.
        Pattern link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)");
        for (Path doc : List.of(
                repo.resolve("ops/RUNBOOK.md"), repo.resolve("docs/CLUSTER.md"), repo.resolve("ops/README.md"))) {
            Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                assertThat(doc.getParent().resolve(m.group(1)).normalize())
                        .as(doc.getFileName() + " links " + m.group(1))
                        .exists();
            }
        }
        // The runbook's anchors it links to are its own headings.
        Matcher anchors = Pattern.compile("\\]\\(#([a-z0-9-]+)\\)").matcher(runbook);
        while (anchors.find()) {
            String anchor = anchors.group(1);
            assertThat(runbook.lines()
                            .filter(l -> l.startsWith("#"))
                            .map(l -> l.replaceFirst("^#+ ", "")
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replaceAll("[^a-z0-9 -]", "")
                                    .replace(' ', '-')))
                    .as("the runbook's heading for #" + anchor)
                    .contains(anchor);
        }
    }
}
