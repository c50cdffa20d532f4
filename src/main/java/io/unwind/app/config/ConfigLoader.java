package io.unwind.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML configuration, applies environment overrides ({@code UNWIND_JOURNAL_URL=...} sets {@code journal.url};
 * {@code UNWIND_CHAIN_ENDPOINTS_0_URL} the first endpoint's url), fills defaults, and validates. Every mistake is
 * reported with the field's path and what to do; nothing is half-applied.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = ConfigBinder.YAML;

    private ConfigLoader() {}

    public static UnwindConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static UnwindConfig load(Path file, Map<String, String> env) {
        return load(file, env, Optional.empty());
    }

    /**
     * The configuration of one chain: the file's only chain, or with {@code chains:} the one named {@code chain} (a
     * file of several chains needs the name).
     */
    public static UnwindConfig load(Path file, Map<String, String> env, Optional<String> chain) {
        List<ChainConfig> all = loadChains(file, env);
        if (chain.isEmpty()) {
            if (all.size() == 1) return all.get(0).config();
            throw new ConfigException(
                    "chains",
                    "this config has " + all.size() + " chains (" + String.join(", ", names(all))
                            + "): name one with --chain NAME");
        }
        return all.stream()
                .filter(c -> c.name().equals(chain.get()))
                .findFirst()
                .orElseThrow(() -> new ConfigException(
                        "chains",
                        "has no chain '" + chain.get() + "': its chains are " + String.join(", ", names(all))))
                .config();
    }

    private static List<String> names(List<ChainConfig> all) {
        return all.stream().map(ChainConfig::name).toList();
    }

    /**
     * One chain of a configuration: its name (the {@code chain} label of its metrics, logs and commands' --chain) and
     * the configuration its keeper runs with.
     */
    public record ChainConfig(String name, UnwindConfig config) {}

    /**
     * Every chain of a configuration. A file without {@code chains:} has one, named after its chain id. With
     * {@code chains:}, each entry names a chain ({@code name}) and gives its own sections ({@code chain},
     * {@code contracts}, and where they differ {@code vaults}, {@code markets}, {@code keeper}, {@code http}, ...); the
     * file's other sections are shared, the journal among them (its rows carry the chain id). Where an entry gives no
     * {@code http}, its status page is on the file's port plus its index.
     */
    public static List<ChainConfig> loadChains(Path file, Map<String, String> env) {
        String named = file.toString().equals(env.get("UNWIND_CONFIG")) ? " (named by UNWIND_CONFIG)" : "";
        if (Files.isDirectory(file)) {
            Path inside = file.resolve("unwind.yaml");
            throw new ConfigException(
                    "",
                    file + named + " is a directory, not a config file: "
                            + (Files.isRegularFile(inside)
                                    ? "did you mean " + inside + "?"
                                    : "name the YAML file (see keystore-template/unwind.example.yaml)"));
        }
        JsonNode root;
        String text;
        try {
            text = Files.readString(file);
            root = YAML.readTree(text);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(
                    "",
                    "the config file " + file + named + " does not exist (see keystore-template/unwind.example.yaml)");
        } catch (IOException e) {
            throw new ConfigException("", "cannot parse " + file + " as YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) root = JsonNodeFactory.instance.objectNode();
        if (!root.isObject()) throw new ConfigException("", "the config file must be a YAML mapping");
        Map<String, String> overrides = applyEnv((ObjectNode) root, env);
        try {
            if (!root.has("chains")) {
                UnwindConfig c = parse(root, file.toAbsolutePath().getParent(), env);
                return List.of(new ChainConfig(Long.toString(c.chain().id()), c));
            }
            List<ChainConfig> out = new ArrayList<>();
            for (var e : split((ObjectNode) root).entrySet()) {
                try {
                    out.add(new ChainConfig(
                            e.getKey(),
                            parse(e.getValue(), file.toAbsolutePath().getParent(), env)));
                } catch (ConfigException x) {
                    throw x.under("chains[" + out.size() + "]");
                }
            }
            java.util.Set<Long> ids = new java.util.HashSet<>();
            for (ChainConfig c : out)
                if (!ids.add(c.config().chain().id()))
                    throw new ConfigException(
                            "chains",
                            "chain id " + c.config().chain().id() + " is listed twice: one keeper per chain (its"
                                    + " nonces and journal rows are the chain's)");
            return List.copyOf(out);
        } catch (ConfigException e) {
            ConfigException blamed = blameOverride(e, overrides, env);
            throw blamed != e ? blamed : withLine(e, ConfigBinder.lines(text), file);
        }
    }

    /** UnwindConfig.Http's default port. */
    private static final int DEFAULT_HTTP_PORT = 9464;

    /** The sections shared by every chain of a {@code chains:} file, which an entry may not give. */
    private static final java.util.Set<String> SHARED = java.util.Set.of("journal", "cluster");

    /** Each entry of {@code chains:} over the file's other sections, by name, in the file's order. */
    private static Map<String, ObjectNode> split(ObjectNode root) {
        if (!(root.get("chains") instanceof ArrayNode list) || list.isEmpty())
            throw new ConfigException("chains", "must be a list of chains, each with a name, chain and contracts");
        if (root.has("chain"))
            throw new ConfigException(
                    "chain", "is given with chains: put each chain's settings in its entry of chains, not at the top");
        Map<String, ObjectNode> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "chains[" + i + "]";
            if (!(list.get(i) instanceof ObjectNode entry))
                throw new ConfigException(at, "must be a mapping with name, chain and contracts");
            String name = entry.path("name").asText("");
            if (!name.matches("[a-z0-9][a-z0-9-]{0,31}"))
                throw new ConfigException(
                        at + ".name",
                        "must name the chain in lower case letters, digits and dashes (it is the chain label of the"
                                + " metrics and the --chain of commands), not '" + name + "'");
            if (out.containsKey(name)) throw new ConfigException(at + ".name", "'" + name + "' is listed twice");
            ObjectNode one = root.deepCopy();
            one.remove("chains");
            for (var f : entry.properties()) {
                if (f.getKey().equals("name")) continue;
                if (SHARED.contains(f.getKey()))
                    throw new ConfigException(
                            at + "." + f.getKey(), "is shared by every chain: give it once, at the top of the file");
                one.set(f.getKey(), f.getValue().deepCopy());
            }
            if (!entry.has("http") && i > 0) {
                ObjectNode http = one.get("http") instanceof ObjectNode h ? h : one.putObject("http");
                int port = http.has("port") ? http.get("port").asInt() : DEFAULT_HTTP_PORT;
                if (port > 0) http.put("port", port + i);
            }
            out.put(name, one);
        }
        return out;
    }

    /**
     * The configuration file a command reads: the one given, else {@code $UNWIND_CONFIG}. An empty UNWIND_CONFIG (as
     * {@code export UNWIND_CONFIG=} leaves it) counts as unset, not as the current directory.
     */
    public static Optional<Path> file(Path given, Map<String, String> env) {
        if (given != null && !given.toString().isBlank()) return Optional.of(given);
        return Optional.ofNullable(env.get("UNWIND_CONFIG"))
                .filter(v -> !v.isBlank())
                .map(Path::of);
    }

    /** Parses an in-memory tree (used by the simulator and devnet, which build their config in code). */
    public static UnwindConfig parse(JsonNode root) {
        return parse(root.deepCopy(), Path.of("").toAbsolutePath(), System.getenv());
    }

    /** The top-level sections; an UNWIND_ variable is a setting only when its first part names one of them. */
    static final List<String> SECTIONS = ConfigBinder.names(UnwindConfig.class);

    private static UnwindConfig parse(JsonNode root, Path base, Map<String, String> env) {
        if (!(root instanceof ObjectNode tree)) throw new ConfigException("", "the config file must be a YAML mapping");
        if (tree.get("contracts") instanceof ObjectNode contracts && contracts.hasNonNull("deployment")) {
            fillFromDeployment(contracts, base);
        }
        if (tree.get("journal") == null || tree.get("journal").isNull()) tree.putObject("journal");
        if (tree.get("journal") instanceof ObjectNode journal && !journal.hasNonNull("url")) {
            journal.put("url", UnwindConfig.Journal.defaultUrl(base));
        }
        if (tree.get("aggregators") instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).isValueNode())
                    list.set(
                            i,
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("name", list.get(i).asText()));
            }
        }
        UnwindConfig c = ConfigBinder.bind(tree, UnwindConfig.class, base);
        List<UnwindConfig.Aggregator> keyed = new ArrayList<>();
        for (int i = 0; i < c.aggregators().size(); i++) {
            try {
                keyed.add(c.aggregators().get(i).withKeyFrom(env));
            } catch (ConfigException e) {
                throw e.under("aggregators[" + i + "]");
            }
        }
        return c.withAggregators(keyed);
    }

    /** The names deployment.json gives the addresses the contracts section may leave out. */
    private static final Map<String, String> DEPLOYMENT_NAMES = Map.of(
            "morpho",
            "morpho",
            "lens",
            "vaultLens",
            "factory",
            "vaultFactory",
            "uniswapV3Quoter",
            "quoterV2",
            "uniswapV3Router",
            "swapRouter",
            "uniswapV3Router02",
            "swapRouter02",
            "uniswapV2Router",
            "uniswapV2Router",
            "nativeToken",
            "nativeToken",
            "aaveFactory",
            "aaveVaultFactory");

    private static void fillFromDeployment(ObjectNode contracts, Path base) {
        Path p = base.resolve(contracts.get("deployment").asText().trim());
        JsonNode d;
        try {
            d = new ObjectMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new ConfigException("contracts.deployment", "cannot read " + p + ": " + firstLine(e.getMessage()));
        }
        DEPLOYMENT_NAMES.forEach((key, name) -> {
            if (!contracts.hasNonNull(key) && d.hasNonNull(name)) contracts.set(key, d.get(name));
        });
    }

    /**
     * Variables of the launcher, the CLI and the test harness that share the prefix but are not settings (none names a
     * section, so they would be skipped anyway; listed so that a future section cannot capture them).
     */
    private static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of(
            "UNWIND_HOME",
            "UNWIND_LOG_LEVEL",
            "UNWIND_LOG_FORMAT",
            "UNWIND_JAVA_OPTS",
            "UNWIND_CONFIG",
            "UNWIND_DEBUG",
            "UNWIND_FORGE_PROFILE");

    /**
     * Whether an environment variable is a setting override: UNWIND_ and a section name, then at least nothing else.
     */
    static boolean isOverride(String variable) {
        if (!variable.startsWith("UNWIND_") || NOT_SETTINGS.contains(variable) || variable.startsWith("UNWIND_TEST_"))
            return false;
        String section = variable.substring(7).split("_", -1)[0];
        return SECTIONS.stream().anyMatch(s -> s.equalsIgnoreCase(section));
    }

    /**
     * UNWIND_A_B_C=v sets a.b.c (keys matched without case; numbers index lists). Only variables whose first part names
     * a section are read (UNWIND_FORGE_PROFILE, UNWIND_LOG_FORMAT and the like belong to the launcher). Returns each
     * override's path ("chain.endpoints[0].url") and variable, so that a mistake in it can name the variable.
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
                        throw new ConfigException(
                                        path,
                                        "is a list: the part after it must be an index (0 for the first), not '"
                                                + parts[i] + "'")
                                .fromEnvironment(e.getKey(), e.getValue());
                    }
                    int idx = Integer.parseInt(parts[i]);
                    if (idx > arr.size()) {
                        throw new ConfigException(
                                        path,
                                        "has " + arr.size() + " entr" + (arr.size() == 1 ? "y" : "ies")
                                                + ": the next one is " + arr.size() + ", not " + idx)
                                .fromEnvironment(e.getKey(), e.getValue());
                    }
                    path = path + "[" + idx + "]";
                    if (last) {
                        if (idx == arr.size()) arr.add(e.getValue());
                        else arr.set(idx, JsonNodeFactory.instance.textNode(e.getValue()));
                    } else if (idx == arr.size()) {
                        arr.addObject();
                    }
                    node = arr.get(idx);
                    continue;
                }
                if (!node.isObject()) {
                    throw new ConfigException(path, "is a single value: it has no setting '" + parts[i] + "'")
                            .fromEnvironment(e.getKey(), e.getValue());
                }
                ObjectNode obj = (ObjectNode) node;
                String key = matchKey(obj, parts[i]);
                path = path.isEmpty() ? key : path + "." + key;
                if (last) {
                    obj.put(key, e.getValue());
                } else {
                    if (!obj.has(key)
                            || obj.get(key).isNull()) { // a section whose settings are all commented out is null
                        if (parts[i + 1].matches("\\d+")) obj.putArray(key);
                        else obj.putObject(key);
                    }
                    node = obj.get(key);
                }
            }
            applied.put(path, e.getKey());
        }
        return applied;
    }

    /** The mistake with the line of its field in the file, or of the nearest enclosing field the file has. */
    private static ConfigException withLine(ConfigException e, Map<String, Integer> lines, Path file) {
        String f = e.field();
        while (!f.isEmpty()) {
            Integer line = lines.get(f);
            if (line != null) return e.at(file.getFileName() + ", line " + line);
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            f = cut < 0 ? "" : f.substring(0, cut);
        }
        return e;
    }

    /**
     * A mistake at (or inside, or above but within a section) a setting an environment variable set is reported with
     * the variable, which is where the operator has to fix it.
     */
    private static ConfigException blameOverride(
            ConfigException e, Map<String, String> overrides, Map<String, String> env) {
        String field = e.field().toLowerCase(Locale.ROOT);
        for (var o : overrides.entrySet()) {
            String path = o.getKey().toLowerCase(Locale.ROOT);
            boolean at = field.equals(path);
            boolean inside = field.startsWith(path + ".") || field.startsWith(path + "[");
            boolean above = (field.contains(".") || field.contains("["))
                    && (path.startsWith(field + ".") || path.startsWith(field + "["));
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
