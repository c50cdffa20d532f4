package io.unwind.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML configuration, applies environment overrides ({@code UNWIND_JOURNAL_URL=...} sets
 * {@code journal.url}; {@code UNWIND_CHAIN_ENDPOINTS_0_URL} the first endpoint's url), fills defaults, and
 * validates. Every mistake is reported with the field's path and what to do; nothing is half-applied.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    public static UnwindConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static UnwindConfig load(Path file, Map<String, String> env) {
        String named = file.toString().equals(env.get("UNWIND_CONFIG")) ? " (named by UNWIND_CONFIG)" : "";
        if (Files.isDirectory(file)) {
            Path inside = file.resolve("unwind.yaml");
            throw new ConfigException("", file + named + " is a directory, not a config file: "
                    + (Files.isRegularFile(inside) ? "did you mean " + inside + "?" : "name the YAML file (see keystore-template/unwind.example.yaml)"));
        }
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("", "the config file " + file + named + " does not exist (see keystore-template/unwind.example.yaml)");
        } catch (IOException e) {
            throw new ConfigException("", "cannot parse " + file + " as YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) root = JsonNodeFactory.instance.objectNode();
        if (!root.isObject()) throw new ConfigException("", "the config file must be a YAML mapping");
        Map<String, String> overrides = applyEnv((ObjectNode) root, env);
        try {
            return parse(new YamlNode(root, ""), file.toAbsolutePath().getParent(), env);
        } catch (ConfigException e) {
            throw blameOverride(e, overrides, env);
        }
    }

    /**
     * The configuration file a command reads: the one given, else {@code $UNWIND_CONFIG}. An empty UNWIND_CONFIG
     * (as {@code export UNWIND_CONFIG=} leaves it) counts as unset, not as the current directory.
     */
    public static Optional<Path> file(Path given, Map<String, String> env) {
        if (given != null && !given.toString().isBlank()) return Optional.of(given);
        return Optional.ofNullable(env.get("UNWIND_CONFIG")).filter(v -> !v.isBlank()).map(Path::of);
    }

    /** Parses an in-memory tree (used by the simulator and devnet, which build their config in code). */
    public static UnwindConfig parse(JsonNode root) {
        return parse(new YamlNode(root, ""), Path.of("").toAbsolutePath(), System.getenv());
    }

    static UnwindConfig parse(YamlNode root, Path base) {
        return parse(root, base, System.getenv());
    }

    /** The top-level sections; an UNWIND_ variable is a setting only when its first part names one of them. */
    static final List<String> SECTIONS = List.of("chain", "contracts", "vaults", "keeper", "strategy", "routing", "gas", "journal",
            "scheduler", "http", "aggregators", "cluster");

    static UnwindConfig parse(YamlNode root, Path base, Map<String, String> env) {
        root.only(SECTIONS.toArray(String[]::new));
        YamlNode c = root.req("chain");
        c.only("id", "endpoints", "privateRelay", "pollInterval", "callTimeout", "callAttempts", "confirmations");
        List<UnwindConfig.Endpoint> endpoints = c.req("endpoints").list(ConfigLoader::endpoint);
        if (endpoints.isEmpty()) throw new ConfigException(c.path + ".endpoints", "at least one RPC endpoint is needed");
        UnwindConfig.Chain chain = new UnwindConfig.Chain(
                c.req("id").positiveLong(),
                endpoints,
                c.opt("privateRelay").map(ConfigLoader::endpoint),
                c.opt("pollInterval").map(YamlNode::duration).orElse(Duration.ofSeconds(1)),
                c.opt("callTimeout").map(YamlNode::duration).orElse(Duration.ofSeconds(5)),
                c.opt("callAttempts").map(n -> n.intIn(1, 10)).orElse(3),
                c.opt("confirmations").map(n -> n.intIn(0, 1000)).orElse(2));

        YamlNode k = root.req("contracts");
        k.only("deployment", "morpho", "lens", "factory", "uniswapV3Quoter", "uniswapV3Router", "uniswapV2Router", "nativeToken");
        Optional<Path> deploymentPath = k.opt("deployment").map(n -> base.resolve(n.text()));
        YamlNode d = deploymentPath.map(p -> loadDeployment(p, k.path + ".deployment")).orElse(new YamlNode(JsonNodeFactory.instance.objectNode(), "deployment"));
        UnwindConfig.Contracts contracts = new UnwindConfig.Contracts(
                deploymentPath,
                address(k, d, "morpho", "morpho").orElseThrow(() -> new ConfigException(k.path + ".morpho", "the Morpho Blue address is required")),
                address(k, d, "lens", "vaultLens").orElseThrow(() -> new ConfigException(k.path + ".lens", "the VaultLens address is required")),
                address(k, d, "factory", "vaultFactory"),
                address(k, d, "uniswapV3Quoter", "quoterV2"),
                address(k, d, "uniswapV3Router", "swapRouter"),
                address(k, d, "uniswapV2Router", "uniswapV2Router"),
                address(k, d, "nativeToken", "nativeToken"));

        List<Address> vaults = root.opt("vaults").map(n -> n.list(YamlNode::address)).orElse(List.of());
        if (vaults.isEmpty() && contracts.factory().isEmpty()) {
            throw new ConfigException("vaults", "nothing to watch: list vaults, or set contracts.factory to watch all of its vaults");
        }

        YamlNode kk = root.opt("keeper").orElse(YamlNode.empty("keeper"));
        kk.only("keystore", "passwordFile", "passwordEnv", "devAccount", "allowWeakKdf");
        UnwindConfig.Key key = new UnwindConfig.Key(
                kk.opt("keystore").map(n -> base.resolve(n.text())),
                kk.opt("passwordFile").map(n -> base.resolve(n.text())),
                kk.opt("passwordEnv").map(YamlNode::text),
                kk.opt("devAccount").map(n -> n.intIn(0, 19)),
                kk.opt("allowWeakKdf").map(YamlNode::bool).orElse(false));
        if (key.keystore().isEmpty() && key.devAccount().isEmpty()) {
            throw new ConfigException("keeper.keystore", "the keeper needs a key: set keeper.keystore (and passwordFile or passwordEnv)");
        }
        if (key.keystore().isPresent() && key.passwordFile().isEmpty() && key.passwordEnv().isEmpty()) {
            throw new ConfigException("keeper.passwordFile", "the keystore's password must come from passwordFile or passwordEnv");
        }
        if (key.devAccount().isPresent() && !ChainId.of(chain.id()).isLocal()) {
            throw new ConfigException("keeper.devAccount",
                    "development accounts are public keys for local chains (id " + ChainId.localIds() + ") only");
        }

        YamlNode s = root.opt("strategy").orElse(YamlNode.empty("strategy"));
        s.only("keeperFeeBps", "expectedSlippageBps", "routeSlippageBps", "oversellToleranceBps", "targetToleranceBps", "txDeadline",
                "volatilityHorizonBlocks", "chunking", "fullScanEveryBlocks", "scanMarginBps", "protectAtOwnCost");
        UnwindConfig.Strategy strategy = new UnwindConfig.Strategy(
                s.opt("keeperFeeBps").map(n -> n.intIn(0, 500)).orElse(10),
                s.opt("expectedSlippageBps").map(n -> n.intIn(0, 1000)).orElse(50),
                s.opt("routeSlippageBps").map(n -> n.intIn(1, 1000)).orElse(20),
                s.opt("oversellToleranceBps").map(n -> n.intIn(0, 1000)).orElse(50),
                s.opt("targetToleranceBps").map(n -> n.intIn(0, 1000)).orElse(5),
                s.opt("txDeadline").map(YamlNode::duration).orElse(Duration.ofMinutes(2)),
                s.opt("volatilityHorizonBlocks").map(n -> n.intIn(1, 10_000)).orElse(20),
                s.opt("chunking").map(YamlNode::bool).orElse(true),
                s.opt("fullScanEveryBlocks").map(n -> n.intIn(1, 100)).orElse(1),
                s.opt("scanMarginBps").map(n -> n.intIn(50, 5000)).orElse(300),
                s.opt("protectAtOwnCost").map(n -> n.list(YamlNode::address)));

        YamlNode r = root.opt("routing").orElse(YamlNode.empty("routing"));
        r.only("uniswapV3FeeTiers", "roundTimeout", "lensChunk");
        UnwindConfig.Routing routing = new UnwindConfig.Routing(
                r.opt("uniswapV3FeeTiers").map(n -> n.list(x -> x.intIn(1, 1_000_000))).orElse(List.of(500, 3000, 10000)),
                r.opt("roundTimeout").map(YamlNode::duration).orElse(Duration.ofSeconds(2)),
                r.opt("lensChunk").map(n -> n.intIn(1, 5000)).orElse(500));

        YamlNode g = root.opt("gas").orElse(YamlNode.empty("gas"));
        g.only("normalCapGwei", "emergencyCapGwei", "feeHistoryBlocks", "stuckAfterBlocks", "nativePrices");
        UnwindConfig.Gas gas = new UnwindConfig.Gas(
                g.opt("normalCapGwei").map(YamlNode::positiveDecimal).orElse(new BigDecimal("50")),
                g.opt("emergencyCapGwei").map(YamlNode::positiveDecimal).orElse(new BigDecimal("500")),
                g.opt("feeHistoryBlocks").map(n -> n.intIn(1, 1024)).orElse(20),
                g.opt("stuckAfterBlocks").map(n -> n.intIn(1, 1000)).orElse(3),
                g.opt("nativePrices").map(YamlNode::addressMap).orElse(Map.of()));
        if (gas.emergencyCapGwei().compareTo(gas.normalCapGwei()) < 0) {
            throw new ConfigException("gas.emergencyCapGwei", "must be at least gas.normalCapGwei (" + gas.normalCapGwei() + ")");
        }

        YamlNode j = root.opt("journal").orElse(YamlNode.empty("journal"));
        j.only("url", "user", "passwordEnv");
        UnwindConfig.Journal journal = new UnwindConfig.Journal(
                j.opt("url").map(YamlNode::text).orElse("jdbc:h2:file:" + base.resolve("data/journal") + ";AUTO_SERVER=TRUE"),
                j.opt("user").map(YamlNode::text), j.opt("passwordEnv").map(YamlNode::text));
        if (!journal.url().startsWith("jdbc:h2:") && !journal.url().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("journal.url", "must be a jdbc:h2: or jdbc:postgresql: URL");
        }

        YamlNode sc = root.opt("scheduler").orElse(YamlNode.empty("scheduler"));
        sc.only("intervalFallback", "factoryRefreshBlocks");
        UnwindConfig.Scheduler scheduler = new UnwindConfig.Scheduler(
                sc.opt("intervalFallback").map(YamlNode::duration).orElse(Duration.ofSeconds(12)),
                sc.opt("factoryRefreshBlocks").map(n -> n.intIn(1, 100_000)).orElse(1)); // one vaultCount call a block; a vault made after start is watched at the next head

        YamlNode h = root.opt("http").orElse(YamlNode.empty("http"));
        h.only("enabled", "host", "port");
        UnwindConfig.Http http = new UnwindConfig.Http(
                h.opt("enabled").map(YamlNode::bool).orElse(true),
                h.opt("host").map(YamlNode::text).orElse("127.0.0.1"),
                h.opt("port").map(n -> n.intIn(0, 65535)).orElse(9464));

        List<UnwindConfig.Aggregator> aggregators = root.opt("aggregators").map(n -> n.list(a -> aggregator(a, env))).orElse(List.of());
        java.util.Set<io.unwind.route.aggregator.Vendor> seen = java.util.EnumSet.noneOf(io.unwind.route.aggregator.Vendor.class);
        for (int i = 0; i < aggregators.size(); i++) {
            var v = aggregators.get(i).vendor();
            if (!seen.add(v)) throw new ConfigException("aggregators[" + i + "].name", "'" + v.id() + "' is listed twice");
            if (v == io.unwind.route.aggregator.Vendor.KYBERSWAP && aggregators.get(i).chainSlug().isEmpty()
                    && io.unwind.route.aggregator.AggregatorSettings.kyberSlug(chain.id()).isEmpty()) {
                throw new ConfigException("aggregators[" + i + "].chainSlug", "KyberSwap does not know chain " + chain.id()
                        + " by id: set its chain name (for example ethereum, base, arbitrum)");
            }
        }
        UnwindConfig.Cluster cluster = cluster(root.opt("cluster").orElse(YamlNode.empty("cluster")), journal);
        return new UnwindConfig(chain, contracts, vaults, key, strategy, routing, gas, journal, scheduler, http, aggregators, cluster);
    }

    /**
     * The cluster section: {@code enabled} (false), {@code nodeId} (host name and process id), {@code partitions} (16),
     * {@code tickInterval} (1s), {@code checkinInterval} (5s), {@code deadAfter} (three check-ins). A cluster shares its
     * journal, so it needs PostgreSQL.
     */
    private static UnwindConfig.Cluster cluster(YamlNode n, UnwindConfig.Journal journal) {
        n.only("enabled", "nodeId", "partitions", "tickInterval", "checkinInterval", "deadAfter");
        boolean enabled = n.opt("enabled").map(YamlNode::bool).orElse(false);
        String nodeId = n.opt("nodeId").map(YamlNode::text).orElseGet(ConfigLoader::defaultNodeId);
        if (!nodeId.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new ConfigException(n.path + ".nodeId", "must be 1 to 80 letters, digits, '.', '_' or '-' (got '" + nodeId + "')");
        }
        int partitions = n.opt("partitions").map(x -> x.intIn(1, 1024)).orElse(16);
        Duration tick = n.opt("tickInterval").map(YamlNode::duration).orElse(Duration.ofSeconds(1));
        if (tick.compareTo(Duration.ofMillis(100)) < 0 || tick.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException(n.path + ".tickInterval", "must be between 100ms and 1m");
        }
        Duration checkin = n.opt("checkinInterval").map(YamlNode::duration).orElse(Duration.ofSeconds(5));
        if (checkin.compareTo(Duration.ofMillis(500)) < 0 || checkin.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException(n.path + ".checkinInterval", "must be between 500ms and 5m");
        }
        Duration deadAfter = n.opt("deadAfter").map(YamlNode::duration).orElse(checkin.multipliedBy(3));
        if (deadAfter.compareTo(checkin.multipliedBy(2)) < 0) {
            throw new ConfigException(n.path + ".deadAfter", "must be at least two check-in intervals (" + checkin.multipliedBy(2).toMillis()
                    + "ms), or a node that is merely slow would have its transactions taken from it");
        }
        if (enabled && !journal.url().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("journal.url", "cluster mode needs the nodes' shared journal on PostgreSQL: set journal.url to a "
                    + "jdbc:postgresql: URL (every node the same), or set cluster.enabled to false");
        }
        return new UnwindConfig.Cluster(enabled, nodeId, partitions, tick, checkin, deadAfter);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("node");
        }
        String id = host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ProcessHandle.current().pid();
        return id.length() > 80 ? id.substring(id.length() - 80) : id;
    }

    /**
     * One aggregator: {@code name} (1inch, 0x, paraswap, odos, kyberswap), {@code baseUrl} (the vendor's public API by
     * default), {@code apiKeyEnv} (the NAME of the environment variable holding the key; 1inch and 0x need one),
     * {@code timeout} (1500ms), {@code requestsPerSecond} (1), {@code retries} (1), {@code chainSlug} (KyberSwap).
     */
    private static UnwindConfig.Aggregator aggregator(YamlNode given, Map<String, String> env) {
        YamlNode a = given.n.isValueNode() ? new YamlNode(JsonNodeFactory.instance.objectNode().put("name", given.text()), given.path) : given;
        a.only("name", "baseUrl", "apiKeyEnv", "timeout", "requestsPerSecond", "retries", "chainSlug");
        io.unwind.route.aggregator.Vendor vendor;
        try {
            vendor = io.unwind.route.aggregator.Vendor.parse(a.req("name").text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(a.path + ".name", e.getMessage());
        }
        Optional<String> keyEnv = a.opt("apiKeyEnv").map(YamlNode::text);
        if (keyEnv.isPresent() && !keyEnv.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(a.path + ".apiKeyEnv", "must be the NAME of an environment variable (the key itself never goes in this file)");
        }
        if (vendor.needsKey() && keyEnv.isEmpty()) {
            throw new ConfigException(a.path + ".apiKeyEnv", vendor.id() + " needs an API key: name the environment variable that holds it");
        }
        Optional<io.unwind.route.aggregator.ApiKey> key = keyEnv.map(name -> {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                throw new ConfigException(a.path + ".apiKeyEnv", "the environment variable " + name + " is not set");
            }
            return new io.unwind.route.aggregator.ApiKey(v);
        });
        Duration timeout = a.opt("timeout").map(YamlNode::duration).orElse(Duration.ofMillis(1500));
        if (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigException(a.path + ".timeout", "must be between 1ms and 30s");
        }
        BigDecimal rps = a.opt("requestsPerSecond").map(YamlNode::positiveDecimal).orElse(BigDecimal.ONE);
        if (rps.compareTo(BigDecimal.valueOf(1000)) > 0) throw new ConfigException(a.path + ".requestsPerSecond", "must be at most 1000");
        return new UnwindConfig.Aggregator(vendor, a.opt("baseUrl").map(n -> n.uri("http", "https")).orElse(vendor.defaultBaseUrl()), keyEnv, key,
                timeout, rps.doubleValue(), a.opt("retries").map(n -> n.intIn(0, 3)).orElse(1), a.opt("chainSlug").map(YamlNode::text));
    }

    private static UnwindConfig.Endpoint endpoint(YamlNode n) {
        n.only("name", "url", "ws");
        URI url = n.req("url").uri("http", "https");
        return new UnwindConfig.Endpoint(n.opt("name").map(YamlNode::text).orElse(url.getHost()), url, n.opt("ws").map(x -> x.uri("ws", "wss")));
    }

    private static Optional<Address> address(YamlNode config, YamlNode deployment, String key, String deploymentKey) {
        return config.opt(key).map(YamlNode::address).or(() -> deployment.opt(deploymentKey).map(YamlNode::address));
    }

    private static YamlNode loadDeployment(Path p, String path) {
        try {
            return new YamlNode(new ObjectMapper().readTree(p.toFile()), "deployment");
        } catch (IOException e) {
            throw new ConfigException(path, "cannot read " + p + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * Variables of the launcher, the CLI and the test harness that share the prefix but are not settings (none names a
     * section, so they would be skipped anyway; listed so that a future section cannot capture them).
     */
    private static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of("UNWIND_HOME", "UNWIND_LOG_LEVEL", "UNWIND_LOG_FORMAT",
            "UNWIND_JAVA_OPTS", "UNWIND_CONFIG", "UNWIND_DEBUG", "UNWIND_FORGE_PROFILE");

    /** Whether an environment variable is a setting override: UNWIND_ and a section name, then at least nothing else. */
    static boolean isOverride(String variable) {
        if (!variable.startsWith("UNWIND_") || NOT_SETTINGS.contains(variable) || variable.startsWith("UNWIND_TEST_")) return false;
        String section = variable.substring(7).split("_", -1)[0];
        return SECTIONS.stream().anyMatch(s -> s.equalsIgnoreCase(section));
    }

    /**
     * UNWIND_A_B_C=v sets a.b.c (keys matched without case; numbers index lists). Only variables whose first part
     * names a section are read (UNWIND_FORGE_PROFILE, UNWIND_LOG_FORMAT and the like belong to the launcher). Returns
     * each override's path ("chain.endpoints[0].url") and variable, so that a mistake in it can name the variable.
     */
    static Map<String, String> applyEnv(ObjectNode root, Map<String, String> env) {
        Map<String, String> applied = new java.util.TreeMap<>();
        for (var e : new java.util.TreeMap<>(env).entrySet()) {
            if (!isOverride(e.getKey())) continue;
            String[] parts = e.getKey().substring(7).toLowerCase(Locale.ROOT).split("_", -1);
            JsonNode node = root;
            String path = "";
            for (int i = 0; i < parts.length; i++) {
                boolean last = i == parts.length - 1;
                if (node.isArray()) {
                    var arr = (com.fasterxml.jackson.databind.node.ArrayNode) node;
                    if (!parts[i].matches("\\d{1,4}")) {
                        throw new ConfigException(path, "is a list: the part after it must be an index (0 for the first), not '"
                                + parts[i] + "'").fromEnvironment(e.getKey(), e.getValue());
                    }
                    int idx = Integer.parseInt(parts[i]);
                    if (idx > arr.size()) {
                        throw new ConfigException(path, "has " + arr.size() + " entr" + (arr.size() == 1 ? "y" : "ies") + ": the next one is "
                                + arr.size() + ", not " + idx).fromEnvironment(e.getKey(), e.getValue());
                    }
                    path = path + "[" + idx + "]";
                    if (last) {
                        if (idx == arr.size()) arr.add(e.getValue()); else arr.set(idx, JsonNodeFactory.instance.textNode(e.getValue()));
                    } else if (idx == arr.size()) {
                        arr.addObject();
                    }
                    node = arr.get(idx);
                    continue;
                }
                if (!node.isObject()) {
                    throw new ConfigException(path, "is a single value: it has no setting '" + parts[i] + "'").fromEnvironment(e.getKey(), e.getValue());
                }
                ObjectNode obj = (ObjectNode) node;
                String key = matchKey(obj, parts[i]);
                path = path.isEmpty() ? key : path + "." + key;
                if (last) {
                    obj.put(key, e.getValue());
                } else {
                    if (!obj.has(key) || obj.get(key).isNull()) { // a section whose settings are all commented out is null
                        if (parts[i + 1].matches("\\d+")) obj.putArray(key); else obj.putObject(key);
                    }
                    node = obj.get(key);
                }
            }
            applied.put(path, e.getKey());
        }
        return applied;
    }

    /**
     * A mistake at (or inside, or above but within a section) a setting an environment variable set is reported with
     * the variable, which is where the operator has to fix it.
     */
    private static ConfigException blameOverride(ConfigException e, Map<String, String> overrides, Map<String, String> env) {
        String field = e.field().toLowerCase(Locale.ROOT);
        for (var o : overrides.entrySet()) {
            String path = o.getKey().toLowerCase(Locale.ROOT);
            boolean at = field.equals(path);
            boolean inside = field.startsWith(path + ".") || field.startsWith(path + "[");
            boolean above = (field.contains(".") || field.contains("[")) && (path.startsWith(field + ".") || path.startsWith(field + "["));
            if (at || inside || above) return e.fromEnvironment(o.getValue(), env.get(o.getValue()));
        }
        return e;
    }

    private static String matchKey(ObjectNode obj, String lower) {
        for (var it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.toLowerCase(Locale.ROOT).equals(lower)) return f;
        }
        return lower;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
