package io.unwind.app.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.unwind.app.Wiring;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.RpcEndpoint;
import io.unwind.chain.Web3jChainClient;
import io.unwind.domain.chain.Address;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "config",
        description = "Check a keeper configuration.",
        subcommands = ConfigCommand.Check.class,
        footer = {"", "Example:", "  unwind config check --config keeper.yaml --online"})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "check",
            description = {
                "Validate a configuration as `unwind run` would.",
                "Loads it exactly as `unwind run` does (environment overrides included) and prints what it resolves to. --online also checks each endpoint's chain id, that the contracts have code, that the journal",
                "opens and that the keeper's key unlocks (its password is read but never shown); with chain.preset, first that every",
                "endpoint serves that network (exit 2 when one does not)."
            },
            footer = {
                "",
                "Exit code 2 names the first wrong setting, e.g. 'chain.endpoints[0].url: must be a http or https URL'.",
                "",
                "Examples:",
                "  unwind config check                    # the file $UNWIND_CONFIG names",
                "  unwind config check --config keeper.yaml",
                "  UNWIND_JOURNAL_URL=jdbc:postgresql://db/unwind unwind config check keeper.yaml --online --json"
            })
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The configuration (default: $UNWIND_CONFIG).")
        Path file;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "The configuration, as the other commands take it (the same as FILE).")
        Path config;

        @Option(names = "--online", description = "Also contact the endpoints, the journal and unlock the key.")
        boolean online;

        @Option(
                names = "--chain",
                paramLabel = "NAME",
                description = "With a config of several chains (chains:), the one to check, by its name.")
        String chain;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (file != null && config != null && !file.equals(config)) {
                throw Cli.usage(spec, "two configurations given (" + file + " and --config " + config + "): give one");
            }
            Path f = ConfigLoader.file(file != null ? file : config, System.getenv())
                    .orElseThrow(() ->
                            Cli.usage(spec, "which configuration? give FILE or --config FILE, or set UNWIND_CONFIG"));
            UnwindConfig c = ConfigLoader.load(f, System.getenv(), java.util.Optional.ofNullable(chain));
            // As run reads it: a journal password variable that is named but not set stops here, named (exit 2).
            Wiring.journalPassword(c.journal(), System.getenv());
            var k = c.contracts();
            var key = c.keeper();
            List<String> problems = new ArrayList<>();
            Online on = new Online();
            if (online) {
                PresetGate.require(c); // a chain that is not the preset's network stops here, exit 2
                online(c, on, problems);
            }
            var m = new JsonShapes.ConfigChecked(
                    f.toString(),
                    c.chain().id(),
                    c.chain().preset().orElse(null),
                    c.chain().endpoints().stream()
                            .map(e -> e.name() + " " + redact(e.url().toString()))
                            .toList(),
                    c.chain()
                            .privateRelay()
                            .map(r -> r.name() + " " + redact(r.url().toString()))
                            .orElse(null),
                    new JsonShapes.ConfigContracts(
                            k.morpho().hex(),
                            k.lens().hex(),
                            k.factory().map(Address::hex).orElse(null),
                            k.uniswapV3Router().map(Address::hex).orElse(null),
                            k.uniswapV3Router02().map(Address::hex).orElse(null),
                            k.uniswapV3Quoter().map(Address::hex).orElse(null),
                            k.uniswapV2Router().map(Address::hex).orElse(null)),
                    c.vaults().isEmpty()
                            ? "every vault of factory "
                                    + k.factory().map(Address::hex).orElse("?")
                            : c.vaults().size() + " vault(s)",
                    key.devAccount()
                            .map(i -> "anvil development account " + i + " (local chains only)")
                            .orElse("keystore "
                                    + key.keystore().map(Path::toString).orElse("?") + ", password from "
                                    + key.passwordFile()
                                            .map(p -> "file " + p)
                                            .orElse("$" + key.passwordEnv().orElse("?"))),
                    Keys.address(c).map(Address::hex).orElse(null),
                    redact(c.journal().url()),
                    c.http().enabled() ? c.http().host() + ":" + c.http().port() : "off",
                    c.cluster().enabled()
                            ? new JsonShapes.ConfigCluster(
                                    nodeId(c.cluster()),
                                    c.cluster().partitions(),
                                    duration(c.cluster().tickInterval()),
                                    duration(c.cluster().checkinInterval()),
                                    duration(c.cluster().deadAfter()))
                            : null,
                    c.hedges().stream()
                            .map(h -> "hedge " + h.hedge().hex() + " of vault "
                                    + h.vault().hex())
                            .toList(),
                    new JsonShapes.GasCaps(
                            c.gas().normalCapGwei().toPlainString(),
                            c.gas().emergencyCapGwei().toPlainString()),
                    on.endpointStatus,
                    on.keeperBalance,
                    on.journalStatus,
                    on.keeperKeyStatus,
                    problems);
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                Json.print(out, m);
            } else {
                out.println(
                        problems.isEmpty()
                                ? "configuration ok" + (online ? " (online checks passed)" : "")
                                : "configuration loads, but:");
                problems.forEach(p -> out.println("  - " + p));
                // The same fields, in the same order, as name and value (the JSON object's own toString).
                Map<String, Object> fields = Json.MAPPER.convertValue(m, new TypeReference<Map<String, Object>>() {});
                fields.forEach((name, v) -> {
                    if (!name.equals("problems")) out.printf("  %-14s %s%n", name, v);
                });
                out.flush();
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }

        /** What --online found, for the answer (null where it was not found). */
        private static final class Online {
            Map<String, String> endpointStatus;
            String keeperBalance;
            String journalStatus;
            String keeperKeyStatus;
        }

        private static void online(UnwindConfig c, Online m, List<String> problems) {
            // The keeper's endpoints and timeout, each call tried once: the check reports each endpoint as it answers.
            try (Web3jChainClient chain = new Web3jChainClient(
                    c.chain().id(),
                    Wiring.endpoints(c.chain()),
                    c.chain().callTimeout(),
                    1,
                    Web3jChainClient.breakers())) {
                Map<String, String> endpoints = new LinkedHashMap<>();
                for (RpcEndpoint e : chain.endpoints()) {
                    chain.verify(e);
                    endpoints.put(
                            e.name(), e.status() + (e.statusDetail().isEmpty() ? "" : " (" + e.statusDetail() + ")"));
                    if (e.status() != RpcEndpoint.Status.ALIVE)
                        problems.add("endpoint " + e.name() + " is " + endpoints.get(e.name()));
                }
                m.endpointStatus = endpoints;
                if (chain.endpoints().stream().anyMatch(e -> e.status() == RpcEndpoint.Status.ALIVE)) {
                    var k = c.contracts();
                    Map<String, Address> code = new LinkedHashMap<>();
                    code.put("contracts.morpho", k.morpho());
                    code.put("contracts.lens", k.lens());
                    k.factory().ifPresent(a -> code.put("contracts.factory", a));
                    k.uniswapV3Router().ifPresent(a -> code.put("contracts.uniswapV3Router", a));
                    k.uniswapV3Router02().ifPresent(a -> code.put("contracts.uniswapV3Router02", a));
                    k.uniswapV3Quoter().ifPresent(a -> code.put("contracts.uniswapV3Quoter", a));
                    k.uniswapV2Router().ifPresent(a -> code.put("contracts.uniswapV2Router", a));
                    code.forEach((name, a) -> {
                        if (!hasCode(chain, a))
                            problems.add(name + " " + a + " has no code on chain "
                                    + c.chain().id());
                    });
                    Keys.address(c).ifPresent(a -> m.keeperBalance = Units.ether(chain.balance(a)));
                    hedges(c, chain, problems);
                }
            }
            try {
                Wiring.openJournal(c.journal()).close();
                m.journalStatus = "opens, schema up to date";
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
            try {
                m.keeperKeyStatus = "unlocks as " + Keys.signer(c).address();
            } catch (RuntimeException e) {
                problems.add("the keeper's key: " + e.getMessage());
            }
        }

        /** Each hedge the config lists is an UnwindHedge of the vault it is listed with. */
        private static void hedges(UnwindConfig c, Web3jChainClient chain, List<String> problems) {
            if (c.hedges().isEmpty()) return;
            io.unwind.chain.vault.HedgeReads reads = new io.unwind.chain.vault.HedgeReads(chain);
            var head = chain.latestBlock();
            for (int i = 0; i < c.hedges().size(); i++) {
                UnwindConfig.Hedge h = c.hedges().get(i);
                try {
                    Address of = reads.vaultOf(h.hedge(), head);
                    if (!of.equals(h.vault()))
                        problems.add("hedges[" + i + "]: " + h.hedge() + " is the hedge of vault " + of + ", not of "
                                + h.vault() + " (`unwind hedge show --hedge " + h.hedge() + "`)");
                } catch (RuntimeException e) {
                    problems.add("hedges[" + i + "]: " + h.hedge() + " does not answer as an UnwindHedge ("
                            + e.getMessage() + ")");
                }
            }
        }

        private static boolean hasCode(Web3jChainClient chain, Address a) {
            try {
                var w = chain.endpoints().stream()
                        .filter(e -> e.status() == RpcEndpoint.Status.ALIVE)
                        .findFirst()
                        .orElseThrow()
                        .web3j();
                String code = w.ethGetCode(a.hex(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                        .send()
                        .getCode();
                return code != null && code.length() > 2;
            } catch (Exception e) {
                return false;
            }
        }

        /**
         * The node id; the default one (host name and process id) as what the running node will have, not this check's
         * own process id.
         */
        static String nodeId(UnwindConfig.Cluster c) {
            String pid = "-" + ProcessHandle.current().pid();
            if (!c.nodeId().endsWith(pid)) return c.nodeId();
            return c.nodeId().substring(0, c.nodeId().length() - pid.length())
                    + "-PID (the default: this host's name and the node's process id; set cluster.nodeId to keep one"
                    + " id across restarts)";
        }

        /** A duration as a config writes it: "15s", "500ms". */
        static String duration(java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }

        /** URLs can carry API keys (https://eth.example/v2/KEY) or passwords: show only scheme, host and port. */
        static String redact(String url) {
            if (url.startsWith("jdbc:"))
                return url.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("//[^/@]*@", "//***@");
            try {
                java.net.URI u = java.net.URI.create(url);
                boolean hidden = (u.getRawPath() != null && u.getRawPath().length() > 1)
                        || u.getRawQuery() != null
                        || u.getRawUserInfo() != null;
                return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                        + (hidden ? "/***" : "");
            } catch (IllegalArgumentException e) {
                return "***";
            }
        }
    }
}
